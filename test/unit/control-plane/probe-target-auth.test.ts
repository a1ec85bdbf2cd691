// Probes carry the endpoint's own key: backends that require it on their health path (an
// OpenAI-style GET /v1/models) would otherwise answer 401 and never get traffic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../shared/src/config/index.js';
import { probeTargets } from '../../../control-plane/src/health/check.js';

const yaml = (auth: string) => `
clusters:
  - name: llm
    healthCheck: { path: /v1/models }
    endpoints:
      - { url: "http://127.0.0.1:9", name: bearer${auth} }
      - { url: "http://127.0.0.2:9", name: apikey, auth: { key: sk-two, header: x-api-key } }
      - { url: "http://127.0.0.3:9", name: none }
routes:
  - { match: { prefix: / }, cluster: llm }
`;

test("a probe sends the endpoint key in the endpoint's header, and no key where none is set", () => {
  const [bearer, apikey, none] = probeTargets(parseConfig(yaml(', auth: { key: sk-one }'), {}, '/').config);
  assert.equal(bearer!.headers.authorization, 'Bearer sk-one');
  assert.equal(apikey!.headers['x-api-key'], 'sk-two');
  assert.deepEqual(Object.keys(none!.headers), ['user-agent']);
});

test('the fingerprint changes when the key rotates but never contains the key', () => {
  const one = probeTargets(parseConfig(yaml(', auth: { key: sk-one }'), {}, '/').config)[0]!;
  const two = probeTargets(parseConfig(yaml(', auth: { key: sk-rotated }'), {}, '/').config)[0]!;
  assert.notEqual(one.fingerprint, two.fingerprint);
  assert.ok(!one.fingerprint.includes('sk-one'));
});

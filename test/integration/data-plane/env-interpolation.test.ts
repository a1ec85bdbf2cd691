// ${VAR} and ${VAR:-default} in the configuration are replaced from the environment of the
// `portico` process, and take effect in traffic.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

interface Echoed { url: string; headers: Record<string, string | undefined> }

const t = { after };
const up = await startUpstream(t);
const yaml = `
clusters:
  - name: up
    timeout: \${PORTICO_TEST_TIMEOUT:-5s}
    endpoints: [{ url: "http://127.0.0.1:\${PORTICO_TEST_UPSTREAM_PORT}" }]
routes:
  - match: { prefix: "\${PORTICO_TEST_PREFIX:-/default}" }
    cluster: up
    rewrite: { stripPrefix: true }
    request:
      headers:
        set: { x-tag: "\${PORTICO_TEST_TAG:-fallback}", x-mixed: "pre-\${PORTICO_TEST_TAG:-none}-post" }
`;
const [withDefaults, withValues] = await Promise.all([
  startGateway(t, yaml, { env: { PORTICO_TEST_UPSTREAM_PORT: String(up.port) } }),
  startGateway(t, yaml, { env: { PORTICO_TEST_UPSTREAM_PORT: String(up.port), PORTICO_TEST_PREFIX: '/custom', PORTICO_TEST_TAG: 'from-env' } }),
]);

test('${VAR} is replaced (here inside a URL)', async () => {
  const res = await httpRequest(`${withDefaults.url}/default/x`);
  assert.equal(res.status, 200, res.text());
});

test('${VAR:-default} takes the default when VAR is unset', async () => {
  const seen = (await httpRequest(`${withDefaults.url}/default/x`)).json<Echoed>();
  assert.equal(seen.headers['x-tag'], 'fallback');
  assert.equal(seen.headers['x-mixed'], 'pre-none-post');
});

test('${VAR:-default} takes the value when VAR is set', async () => {
  const seen = (await httpRequest(`${withValues.url}/custom/x`)).json<Echoed>();
  assert.equal(seen.url, '/x');
  assert.equal(seen.headers['x-tag'], 'from-env');
  assert.equal(seen.headers['x-mixed'], 'pre-from-env-post');
  assert.equal((await httpRequest(`${withValues.url}/default/x`)).status, 404);
});

// CORS headers on real (forwarded) responses (SPEC §2 `cors`): an allowed Origin gets
// Access-Control-Allow-Origin (the origin itself when credentials are on, "*" for an any-origin
// policy without credentials) and Vary: Origin; other origins and `cors: false` routes get none.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, echo('api'));
const gw = await startGateway(t, `
gateway:
  cors: { origins: ["https://app.example.com"], credentials: true }
clusters:
  - { name: api, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: /public }, cluster: api, cors: { origins: ["*"] } }
  - { match: { prefix: /nocors }, cluster: api, cors: false }
  - { match: { prefix: / }, cluster: api }
`);

test('an allowed origin gets its origin echoed, credentials and Vary: Origin', async () => {
  const res = await httpRequest(`${gw.url}/v1/models`, { headers: { origin: 'https://app.example.com' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-upstream'], 'api');
  assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(res.headers['access-control-allow-credentials'], 'true');
  assert.match(String(res.headers.vary), /Origin/);
});

test('another origin, or no Origin at all, gets no CORS headers', async () => {
  for (const headers of [{ origin: 'https://evil.example.com' }, {}] as Array<Record<string, string>>) {
    const res = await httpRequest(`${gw.url}/v1/models`, { headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
  }
});

test('a route with origins ["*"] and no credentials answers "*"', async () => {
  const res = await httpRequest(`${gw.url}/public/x`, { headers: { origin: 'https://anyone.test' } });
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-allow-credentials'], undefined);
});

test('cors: false adds nothing even for an origin the gateway policy allows', async () => {
  const res = await httpRequest(`${gw.url}/nocors/x`, { headers: { origin: 'https://app.example.com' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['access-control-allow-origin'], undefined);
});

// Gateway keys (SPEC §3.4): with auth.keys set every route needs a key, given as
// "Authorization: Bearer <key>" or "X-API-Key: <key>"; the carrying header never reaches the
// upstream; `auth: none` opens a route and `auth: { keys }` replaces the gateway keys for one.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, echo('api'));
const gw = await startGateway(t, `
auth: { keys: ["gw-key-one", "gw-key-two"] }
clusters:
  - { name: api, endpoints: [{ url: "${up.url}" }] }
routes:
  - { name: open, match: { prefix: /open }, cluster: api, auth: none }
  - { name: own-keys, match: { prefix: /partner }, cluster: api, auth: { keys: ["partner-key"] } }
  - { name: api, match: { prefix: / }, cluster: api }
`);

interface Echo { url: string; headers: Record<string, string | undefined> }
interface ErrorBody { error: { type: string; message: string; requestId: string } }

function assertUnauthorized(res: Awaited<ReturnType<typeof httpRequest>>, seenBefore: number): void {
  assert.equal(res.status, 401, res.text());
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json<ErrorBody>();
  assert.equal(body.error.type, 'unauthorized');
  assert.equal(typeof body.error.message, 'string');
  assert.equal(body.error.requestId, res.headers['x-request-id']);
  assert.equal(up.seen.length, seenBefore, 'a refused request reached the upstream');
}

test('a request without a key is refused with 401 JSON and never forwarded', async () => {
  const before = up.seen.length;
  assertUnauthorized(await httpRequest(`${gw.url}/v1/models`), before);
});

test('a wrong key is refused with 401 in either header', async () => {
  const before = up.seen.length;
  assertUnauthorized(await httpRequest(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer gw-key-onE' } }), before);
  assertUnauthorized(await httpRequest(`${gw.url}/v1/models`, { headers: { 'x-api-key': 'gw-key-one ' + 'x' } }), before);
  assertUnauthorized(await httpRequest(`${gw.url}/v1/models`, { headers: { 'x-api-key': 'gw-key' } }), before);
  // A key in a scheme other than Bearer is not a gateway key.
  assertUnauthorized(await httpRequest(`${gw.url}/v1/models`, { headers: { authorization: 'Basic gw-key-one' } }), before);
});

test('Authorization: Bearer is accepted and removed before forwarding', async () => {
  const res = await httpRequest(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer gw-key-two' } });
  assert.equal(res.status, 200, res.text());
  const seen = res.json<Echo>();
  assert.equal(seen.url, '/v1/models');
  assert.equal(seen.headers.authorization, undefined);
  assert.ok(!res.text().includes('gw-key-two'));
});

test('the Bearer scheme name is case-insensitive', async () => {
  const res = await httpRequest(`${gw.url}/v1/models`, { headers: { authorization: 'bearer gw-key-one' } });
  assert.equal(res.status, 200, res.text());
});

test('X-API-Key is accepted and removed before forwarding', async () => {
  const res = await httpRequest(`${gw.url}/v1/chat`, { method: 'POST', headers: { 'x-api-key': 'gw-key-one', 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 200, res.text());
  const seen = res.json<Echo>();
  assert.equal(seen.headers['x-api-key'], undefined);
  assert.ok(!res.text().includes('gw-key-one'));
});

test('a route with auth: none is open without a key', async () => {
  const res = await httpRequest(`${gw.url}/open/docs`);
  assert.equal(res.status, 200, res.text());
  assert.equal(res.json<Echo>().url, '/open/docs');
});

test('a route with its own keys accepts them and refuses the gateway keys', async () => {
  const ok = await httpRequest(`${gw.url}/partner/x`, { headers: { 'x-api-key': 'partner-key' } });
  assert.equal(ok.status, 200, ok.text());
  assert.equal(ok.json<Echo>().headers['x-api-key'], undefined);
  const before = up.seen.length;
  assertUnauthorized(await httpRequest(`${gw.url}/partner/x`, { headers: { authorization: 'Bearer gw-key-one' } }), before);
  assertUnauthorized(await httpRequest(`${gw.url}/partner/x`), before);
});

test('a route key does not open the routes that inherit the gateway keys', async () => {
  const before = up.seen.length;
  assertUnauthorized(await httpRequest(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer partner-key' } }), before);
});

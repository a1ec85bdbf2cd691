// Gateway keys apply to upgrades as to HTTP: missing or wrong key -> 401 JSON before any upstream
// work; a valid key opens the tunnel, is removed before forwarding, and the backend key is injected.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { nextMessage, openClient, refusedHandshake, startWsUpstream, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, `
auth: { keys: ["gateway-key-1"] }
clusters:
  - name: ws
    endpoints: [{ url: "${up.url}", auth: { key: "backend-secret", header: x-api-key } }]
routes:
  - { name: ws, match: { prefix: / }, cluster: ws }
`);

test('an upgrade without a key gets 401 unauthorized and never reaches the upstream', async () => {
  const r = await refusedHandshake(wsUrl(gw.url, '/locked'));
  assert.equal(r.status, 401);
  assert.equal((JSON.parse(r.body) as { error: { type: string } }).error.type, 'unauthorized');
  const wrong = await refusedHandshake(wsUrl(gw.url, '/locked'), [], { authorization: 'Bearer not-the-key' });
  assert.equal(wrong.status, 401);
  assert.equal(up.upgrades.length, 0);
});

test('a valid gateway key opens the tunnel; the upstream sees the backend key, not the gateway key', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/locked'), [], { headers: { authorization: 'Bearer gateway-key-1' } });
  const c = await up.connection(0);
  assert.equal(c.req.headers['x-api-key'], 'backend-secret');
  assert.equal(c.req.headers.authorization, undefined);
  client.send('through');
  assert.equal((await nextMessage(client)).data.toString(), 'through');
});

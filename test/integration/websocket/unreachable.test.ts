// An upstream that cannot be reached (connection refused while the snapshot still says healthy):
// 502 with the §3.2 JSON body, also when a retry finds no other endpoint.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { refusedHandshake, startWsUpstream, waitHealthy, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, `
healthCheck: { interval: 1m }
clusters:
  - { name: ws, retries: 1, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: ws }
`);

before(async () => {
  await waitHealthy(gw, 'ws');
  await up.close();
});

test('connection refused upstream: the client gets 502 upstream_error JSON', async () => {
  const r = await refusedHandshake(wsUrl(gw.url, '/nowhere'), [], { 'x-request-id': 'unreachable-1' });
  assert.equal(r.status, 502);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const body = JSON.parse(r.body) as { error: { type: string; message: string; requestId: string } };
  assert.equal(body.error.type, 'upstream_error');
  assert.equal(body.error.requestId, 'unreachable-1');
  assert.equal(r.headers['x-request-id'], 'unreachable-1');
});

// A route with `websocket: false` refuses upgrades with 400 bad_request (the route exists, so not
// 404) and never opens an upstream WebSocket; plain HTTP on the same route still works.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { refusedHandshake, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url, { route: 'websocket: false' }));

test('an upgrade on a websocket: false route gets 400 bad_request JSON', async () => {
  const r = await refusedHandshake(wsUrl(gw.url, '/no-ws'), [], { 'x-request-id': 'no-ws-1' });
  assert.equal(r.status, 400);
  const body = JSON.parse(r.body) as { error: { type: string; message: string; requestId: string } };
  assert.equal(body.error.type, 'bad_request');
  assert.match(body.error.message, /WebSocket/);
  assert.equal(body.error.requestId, 'no-ws-1');
  assert.equal(up.upgrades.length, 0);
  const plain = await fetch(`${gw.url}/no-ws`);
  assert.equal(plain.status, 200);
  assert.equal(await plain.text(), 'ok');
});

// The cluster's idleTimeout applies between frames in either direction: traffic keeps a tunnel
// open past it; silence closes both sides with 1001.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { startGateway } from '../../helpers/gateway.js';
import { closeEvent, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url, { cluster: 'idleTimeout: 1s' }));

test('a tunnel with traffic outlives the idle timeout; a silent one is closed with 1001', async () => {
  const busy = await openClient(t, wsUrl(gw.url, '/busy'));
  const quiet = await openClient(t, wsUrl(gw.url, '/quiet'));
  const quietClosed = closeEvent(quiet);
  // 2 s of traffic every 100 ms on `busy` (bounded loop).
  for (let i = 0; i < 20; i++) {
    busy.send(`keepalive ${i}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(busy.readyState, WebSocket.OPEN);
  assert.deepEqual(await quietClosed, { code: 1001, reason: 'idle timeout' });
  const quietUpstream = up.connections.find((c) => c.req.url === '/quiet')!;
  assert.equal((await quietUpstream.closed).code, 1001);
});

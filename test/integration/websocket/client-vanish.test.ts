// A client that vanishes mid-stream (its TCP connection drops without a close frame): the
// upstream connection is closed within a second, with 1011 rather than the reserved 1006.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t, {
  onConnection: (c) => {
    // Streams until the tunnel closes (bounded: 10 minutes of 10 ms ticks at most).
    let n = 0;
    const timer = setInterval(() => {
      if (c.ws.readyState !== c.ws.OPEN || ++n > 60_000) clearInterval(timer);
      else c.ws.send(`tick ${n}`);
    }, 10);
  },
});
const gw = await startGateway(t, tunnelConfig(up.url));

test('the upstream socket closes within 1 s of the client vanishing', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/stream'));
  await new Promise<void>((resolve) => {
    let seen = 0;
    client.on('message', () => { if (++seen === 5) resolve(); });
  });
  const c = await up.connection(0);
  assert.equal(c.socketClosedAt, undefined);
  const vanishedAt = Date.now();
  client.terminate();
  const closed = await Promise.race([c.closed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000))]);
  assert.ok(closed, 'upstream WebSocket closed within 1 s');
  assert.equal(closed.code, 1011);
  const deadline = Date.now() + 1_000;
  while (c.socketClosedAt === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(c.socketClosedAt !== undefined && c.socketClosedAt - vanishedAt < 1_000, 'upstream TCP socket closed within 1 s');
});

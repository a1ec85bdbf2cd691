// Backpressure: a client that stops reading holds the upstream sender back through the proxy
// instead of the proxy buffering what the sender produces. 200 MiB are offered as fast as the
// upstream's own socket accepts them; while the client is paused only a few MiB may leave the
// upstream, and the proxy's resident memory must not grow with the volume sent.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { readMemory, sampleRss } from '../../helpers/rss.js';
import { openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const MiB = 1024 * 1024;
const TOTAL = 200;
const t = { after };
let sent = 0;
const up = await startWsUpstream(t, {
  onConnection: (c) => {
    void (async () => {
      const deadline = Date.now() + 120_000;
      for (let i = 0; i < TOTAL && c.ws.readyState === c.ws.OPEN && Date.now() < deadline; i++) {
        // The sender only waits on its own socket: it produces as fast as the path lets it.
        while (c.ws.bufferedAmount > 4 * MiB && c.ws.readyState === c.ws.OPEN && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        c.ws.send(Buffer.alloc(MiB, i % 256));
        sent = i + 1;
      }
    })();
  },
});
const gw = await startGateway(t, tunnelConfig(up.url));

test('a paused reader holds the sender back and the proxy memory stays flat', async (ctx) => {
  const pid = gw.proc.pid!;
  const client = await openClient(t, wsUrl(gw.url, '/firehose'));
  client.pause();
  const baseline = readMemory(pid).rss;
  const sampler = sampleRss(pid);
  await new Promise((r) => setTimeout(r, 1_500));
  const sentWhilePaused = sent;
  assert.ok(sentWhilePaused < 64, `only socket and proxy buffers' worth leaves the upstream while the client is paused (sent ${sentWhilePaused} MiB)`);

  let received = 0;
  let inOrder = true;
  const done = new Promise<void>((resolve, reject) => {
    client.on('message', (data: Buffer) => {
      if (data.length !== MiB || data[0] !== received % 256) inOrder = false;
      if (++received === TOTAL) resolve();
    });
    client.once('close', () => reject(new Error(`closed after ${received} messages`)));
  });
  client.resume();
  await done;
  const peak = sampler.stop();
  assert.ok(inOrder, 'every message arrived whole and in order');
  assert.equal(sent, TOTAL);
  const growth = (peak - baseline) / MiB;
  ctx.diagnostic(`sent while paused: ${sentWhilePaused} MiB; proxy RSS ${(baseline / MiB).toFixed(0)} -> peak ${(peak / MiB).toFixed(0)} MiB`);
  assert.ok(growth < 100, `proxy RSS grew ${growth.toFixed(1)} MiB while 200 MiB went through a slow reader`);
});

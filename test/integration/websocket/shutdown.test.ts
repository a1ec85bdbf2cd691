// SIGTERM: in-flight HTTP finishes first, then every tunnel closes with 1001 on both sides and the
// process exits 0.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { closeEvent, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
let slowStarted!: () => void;
const slowSeen = new Promise<void>((resolve) => { slowStarted = resolve; });
const up = await startWsUpstream(t, {
  http: (req, res) => {
    if (req.url === '/slow') {
      slowStarted();
      setTimeout(() => res.end('slow done'), 600);
      return;
    }
    res.end('ok');
  },
});
const gw = await startGateway(t, tunnelConfig(up.url));

test('SIGTERM closes tunnels with 1001 after in-flight HTTP has drained', async () => {
  const clients = [await openClient(t, wsUrl(gw.url, '/one')), await openClient(t, wsUrl(gw.url, '/two'))];
  const upstreams = [await up.connection(0), await up.connection(1)];
  const closes = clients.map((c) => closeEvent(c).then((e) => ({ ...e, at: performance.now() })));
  let httpDoneAt = 0;
  const slow = fetch(`${gw.url}/slow`).then(async (r) => {
    const text = await r.text();
    httpDoneAt = performance.now();
    return text;
  });
  await slowSeen;
  const exit = gw.stop('SIGTERM');
  assert.equal(await slow, 'slow done');
  for (const closed of await Promise.all(closes)) {
    assert.equal(closed.code, 1001);
    assert.ok(closed.at >= httpDoneAt, 'the tunnel stayed open until the in-flight request finished');
  }
  for (const u of upstreams) assert.equal((await u.closed).code, 1001);
  assert.equal(await exit, 0);
});

// 502/503 answers are retried on another endpoint for idempotent requests only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('a 503 answer is retried on the other endpoint for GET, not for a streamed POST', async (t) => {
  const busy = await startUpstream(t, answersHealth((req, res) => {
    req.resume();
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('busy');
  }));
  const ok = await startUpstream(t, answersHealth(echo('ok')));
  const gw = await startGateway(t, `
clusters:
  - name: c
    retries: 1
    outlierDetection: { consecutiveFailures: 100 }
    endpoints: [{ url: "${busy.url}", name: busy }, { url: "${ok.url}", name: ok }]
routes:
  - { match: { prefix: / }, cluster: c }
`);
  await waitForEndpointStatus(gw, 'c', 'healthy');
  for (let i = 0; i < 6; i++) assert.equal((await fetch(`${gw.url}/get`)).status, 200);
  const posts: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${gw.url}/post`, { method: 'POST', body: 'payload' });
    await res.arrayBuffer();
    posts.push(res.status);
  }
  assert.ok(posts.includes(503), `a non-idempotent POST sees the 503: ${posts}`);
  assert.ok(posts.includes(200));
});

// first-success replays request bodies: the next endpoint gets the whole body again, and a body
// over gateway.maxBufferedBody is refused with 413 before any endpoint sees part of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('first-success: the body reaches the second endpoint intact; a body over maxBufferedBody gets 413 and reaches none', async (t) => {
  const refusedBodies: string[] = [];
  const notHere = await startUpstream(t, answersHealth((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => { body += c; });
    req.on('end', () => {
      refusedBodies.push(body);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    });
  }));
  const here = await startUpstream(t, answersHealth(echo('here')));
  const gw = await startGateway(t, `
gateway: { maxBufferedBody: 1kb }
clusters:
  - name: fs
    balancer: first-success
    endpoints: [{ url: "${notHere.url}", name: not-here }, { url: "${here.url}", name: here }]
routes:
  - { match: { prefix: / }, cluster: fs }
`);
  await waitForEndpointStatus(gw, 'fs', 'healthy');
  const posts = () => [...notHere.seen, ...here.seen].filter((r) => r.method === 'POST').length;

  const body = JSON.stringify({ q: 'x'.repeat(600) });
  const ok = await fetch(`${gw.url}/lookup`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(ok.status, 200);
  const echoed = (await ok.json()) as { name: string; body: string };
  assert.equal(echoed.name, 'here');
  assert.equal(echoed.body, body, 'the second endpoint got the whole body');
  assert.deepEqual(refusedBodies, [body], 'the first endpoint got it too, and was tried first');

  const before = posts();
  const big = await fetch(`${gw.url}/lookup`, { method: 'POST', body: 'y'.repeat(4000), headers: { 'content-type': 'text/plain' } });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { type: string } }).error.type, 'payload_too_large');
  assert.equal(posts(), before, 'no endpoint saw the oversized request');
});

// One JSON access-log line per request at info, with the fields operators need, the path without
// its query string (query values may be secrets), and the retry count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { startProbedBackend } from './observe.js';

test('access log: one line per request with every field and no query string', async (t) => {
  const a = await startProbedBackend(t, 'a');
  const b = await startProbedBackend(t, 'b');
  const gw = await startGateway(t, `
clusters:
  - name: api
    retries: 1
    endpoints:
      - { url: "${a.url}", name: a }
      - { url: "${b.url}", name: b }
routes:
  - { name: api-route, match: { prefix: /api }, cluster: api, rewrite: { stripPrefix: true } }
`);
  await waitForEndpointStatus(gw, 'api', 'healthy');
  const requests = () => gw.logs().filter((l) => l.msg === 'request');
  const before = requests().length;

  const res = await fetch(`${gw.url}/api/items/7?token=s3cr3t-token&page=2`, { method: 'POST', body: 'hello', headers: { 'x-request-id': 'obs-test-1' } });
  const body = await res.text();
  assert.equal(res.status, 200);
  const line = await waitFor(() => requests().find((l) => l.requestId === 'obs-test-1'), 'access log line');
  assert.equal(line.level, 30, 'info');
  assert.equal(line.route, 'api-route');
  assert.equal(line.cluster, 'api');
  assert.ok(line.endpoint === 'a' || line.endpoint === 'b');
  assert.equal(line.method, 'POST');
  assert.equal(line.path, '/api/items/7');
  assert.equal(line.status, 200);
  assert.equal(line.clientIp, '127.0.0.1');
  assert.equal(line.bytesIn, 5);
  assert.equal(line.bytesOut, Buffer.byteLength(body));
  assert.equal(line.retries, 0);
  assert.ok(typeof line.upstreamMs === 'number' && line.upstreamMs > 0);
  assert.ok(typeof line.totalMs === 'number' && (line.totalMs as number) >= (line.upstreamMs as number));
  assert.ok(!gw.output().includes('s3cr3t-token'), 'no query value anywhere in the log');
  assert.ok(!gw.output().includes('page=2'));

  // Both endpoints answer 503: one retry, logged as such with the final status.
  assert.equal((await fetch(`${gw.url}/api/boom`, { headers: { 'x-request-id': 'obs-test-2' } })).status, 503);
  const retried = await waitFor(() => requests().find((l) => l.requestId === 'obs-test-2'), 'retried request line');
  assert.equal(retried.status, 503);
  assert.equal(retried.retries, 1);

  // A request no route matches is logged too, with empty route and cluster.
  assert.equal((await fetch(`${gw.url}/elsewhere?k=v`, { headers: { 'x-request-id': 'obs-test-3' } })).status, 404);
  const unrouted = await waitFor(() => requests().find((l) => l.requestId === 'obs-test-3'), 'unrouted request line');
  assert.deepEqual([unrouted.route, unrouted.cluster, unrouted.status, unrouted.path], ['', '', 404, '/elsewhere']);
  assert.equal(requests().length - before, 3, 'exactly one line per request');
});

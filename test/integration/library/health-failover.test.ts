// HealthChecker + least-latency LoadBalancer in a Fastify app: the first probe round runs at once
// on start(), the faster backend takes the traffic, and when it dies the checker flips it
// unhealthy (a 'change' event) and the balancer stops sending it requests. `await using`
// disposes both.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HealthChecker, LoadBalancer, porticoProxy, type EndpointStatus } from '../../../data-plane/src/lib/index.js';
import { waitFor } from '../../helpers/cleanup.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream, type UpstreamHandler } from '../../helpers/upstream.js';
import { startApp } from './app.js';

const t = { after };
// The slow backend is slow on every path, probes and requests alike: a re-measure request then
// confirms what the probe said instead of finding it as fast as the leader (which would make the
// two a tie that shares traffic, as least-latency should).
const named = (name: string, delayMs: number): UpstreamHandler => (_req, res) => {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(name);
  }, delayMs);
};

test('the dead backend is flipped unhealthy and no request goes to it', async () => {
  const fast = await startUpstream(t, named('fast', 0));
  const slow = await startUpstream(t, named('slow', 60));
  await using checker = new HealthChecker([
    { url: fast.url, name: 'fast' },
    { url: slow.url, name: 'slow' },
  ], { path: '/healthz', interval: 100, timeout: 1000, unhealthyThreshold: 1 });
  await using lb = new LoadBalancer({ endpoints: checker, balancer: 'least-latency' });
  const changes: EndpointStatus[] = [];
  checker.on('change', (s) => changes.push(s));
  const { url } = await startApp(t, (app) => app.register(porticoProxy, { prefix: '/svc', loadBalancer: lb }));

  const started = Date.now();
  await checker.start();
  assert.ok(Date.now() - started < 1000, 'first round at once, not after an interval');
  assert.deepEqual(checker.status().map((s) => s.status), ['healthy', 'healthy']);
  assert.deepEqual(changes.map((c) => `${c.name}:${c.status}`).sort(), ['fast:healthy', 'slow:healthy']);

  // A loaded machine can put the first requests on fresh connections over 10 ms off the probe,
  // which buys the slower backend its one re-measure request per 5 s: at most one, never a share.
  const batch = () => Promise.all(Array.from({ length: 6 }, () => httpRequest(`${url}/svc/work`)));
  const before = [...await batch(), ...await batch()].map((r) => r.text());
  const toSlow = before.filter((name) => name === 'slow').length;
  assert.equal(before.filter((name) => name === 'fast').length, 12 - toSlow);
  assert.ok(toSlow <= 1, `least-latency prefers the faster backend: ${toSlow} of 12 went to the slow one`);

  await fast.close();
  await waitFor(() => checker.get('fast')?.status === 'unhealthy' || undefined, 'fast flipped unhealthy', 5_000);
  assert.ok(changes.some((c) => c.name === 'fast' && c.status === 'unhealthy'));
  assert.equal(lb.endpoints().find((e) => e.name === 'fast')?.status, 'unhealthy');

  const servedBy = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const res = await httpRequest(`${url}/svc/work`);
    assert.equal(res.status, 200);
    servedBy.add(res.text());
  }
  assert.deepEqual([...servedBy], ['slow']);
  assert.equal(lb.pick({ socket: { remoteAddress: '127.0.0.1' }, headers: {} } as never)?.name, 'slow');
});

test('HealthChecker: per-endpoint settings, expectedStatus, close() stops probing', async () => {
  let probes = 0;
  const teapot = await startUpstream(t, (req, res) => {
    if (req.url === '/status') probes++;
    res.writeHead(req.url === '/status' ? 418 : 404);
    res.end();
  });
  const checker = new HealthChecker([
    { url: `${teapot.url}/app`, name: 'strict', path: '/missing' },
    { url: teapot.url, name: 'teapot-ok', path: '/status', expectedStatus: 418 },
  ], { interval: '50ms', timeout: '1s' });
  await checker.start();
  assert.equal(checker.get('strict')?.status, 'unhealthy');
  assert.equal(checker.get('teapot-ok')?.status, 'healthy');
  assert.ok(teapot.seen.some((s) => s.url === '/app/missing'), 'the check path is joined to the endpoint URL\'s path');
  await checker.close();
  const after = probes;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(probes, after);
  assert.throws(() => new HealthChecker([{ url: teapot.url, interval: 'soon' }]), /interval/);
});

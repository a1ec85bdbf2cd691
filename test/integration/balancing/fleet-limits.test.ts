// maxRequests and rateLimit hold across two data planes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { answersHealth } from '../../helpers/health.js';
import { controlPlaneStatus, startControlPlane, startDataPlane, type DataPlaneProcess } from '../../helpers/planes.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

async function fleet(t: Parameters<typeof startControlPlane>[0], endpointYaml: (url: string) => string, handler = answersHealth(echo('e'))) {
  const up = await startUpstream(t, handler);
  const cp = await startControlPlane(t, {
    yaml: `
clusters:
  - name: c
    endpoints: [${endpointYaml(up.url)}]
routes:
  - { match: { prefix: / }, cluster: c }
`,
  });
  const dps = [await startDataPlane(t, ['--control-plane', cp.grpc, '--id', 'dp-a']), await startDataPlane(t, ['--control-plane', cp.grpc, '--id', 'dp-b'])];
  // Shares are sized from the data-plane list: wait until both planes serve a snapshot listing both.
  await waitFor(async () => {
    const s = await controlPlaneStatus(cp.adminUrl);
    return s.dataPlanes.length === 2 && s.clusters[0]!.endpoints[0]!.status === 'healthy' && s.dataPlanes.every((d) => d.snapshotVersion === s.snapshotVersion) || undefined;
  }, 'both data planes on the latest snapshot');
  return { up, cp, dps };
}

test('maxRequests: 3 is never exceeded across two data planes', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const slow = answersHealth((req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight--;
      echo('e')(req, res);
    }, 150);
  });
  const { dps } = await fleet(t, (url) => `{ url: "${url}", maxRequests: 3 }`, slow);
  const statuses: number[] = [];
  const burst = (dp: DataPlaneProcess) => Array.from({ length: 10 }, async () => {
    const res = await fetch(`${dp.url}/x`);
    await res.arrayBuffer();
    statuses.push(res.status);
  });
  await Promise.all([...burst(dps[0]!), ...burst(dps[1]!)]);
  assert.ok(peak <= 3, `the endpoint saw ${peak} concurrent requests`);
  assert.ok(statuses.includes(200));
  assert.ok(statuses.includes(503), 'the rest fail fast with 503 upstream_saturated');
});

test('rateLimit rps 10 / burst 10 lets through no more than the budget across both planes', async (t) => {
  const { dps } = await fleet(t, (url) => `{ url: "${url}", rateLimit: { rps: 10, burst: 10 } }`);
  const started = Date.now();
  const results = await Promise.all(dps.flatMap((dp) => Array.from({ length: 20 }, async () => {
    const res = await fetch(`${dp.url}/x`);
    const body = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  })));
  const elapsedS = (Date.now() - started) / 1000;
  const ok = results.filter((r) => r.status === 200).length;
  const limited = results.filter((r) => r.status === 429);
  // Budget: the burst plus what the rate refilled while the requests ran.
  assert.ok(ok <= 10 + Math.ceil(10 * elapsedS), `${ok} passed in ${elapsedS.toFixed(2)} s`);
  assert.ok(ok >= 2, `${ok} passed`);
  assert.ok(limited.length > 0);
  for (const r of limited) {
    assert.ok(Number(r.retryAfter) >= 1, 'Retry-After is set');
    assert.equal((JSON.parse(r.body) as { error: { type: string } }).error.type, 'rate_limited');
  }
});

// A backend whose health check fails is avoided by every data plane within
// interval × unhealthyThreshold (+ jitter) plus propagation, and used again after it recovers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { hit, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

const INTERVAL_MS = 200;
const UNHEALTHY_THRESHOLD = 2;
// 10% jitter per interval, 200 ms propagation (SPEC §5), plus scheduling slack for a loaded 2-core CI box.
const BUDGET_MS = INTERVAL_MS * 1.1 * UNHEALTHY_THRESHOLD + 200 + 800;

interface EndpointView { name: string; status: string }
async function statusOf(dataPlaneUrl: string, endpoint: string): Promise<string | undefined> {
  const body = (await (await fetch(`${dataPlaneUrl}/api/health/status`)).json()) as { clusters: Record<string, { endpoints: EndpointView[] }> };
  return body.clusters.c?.endpoints.find((e) => e.name === endpoint)?.status;
}

test('failing backend: avoided by every data plane within the health budget, back after recovery', async (t) => {
  const a = await startBackend(t, 'a');
  const b = await startBackend(t, 'b');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a, b], { interval: `${INTERVAL_MS}ms` }) });
  const planes = await Promise.all([1, 2].map((i) => startDataPlane(t, ['--control-plane', cp.grpc, '--id', `dp-${i}`])));
  for (const dp of planes) await waitFor(async () => (await statusOf(dp.url, 'b')) === 'healthy' || undefined, 'b healthy');

  const t0 = Date.now();
  b.setHealthy(false);
  const elapsed = await Promise.all(planes.map((dp) => waitFor(async () => ((await statusOf(dp.url, 'b')) === 'unhealthy' ? Date.now() - t0 : undefined), 'b unhealthy', 10_000, 10)));
  t.diagnostic(`b avoided after ${elapsed.join(' ms, ')} ms (budget ${BUDGET_MS} ms)`);
  for (const ms of elapsed) assert.ok(ms <= BUDGET_MS, `data plane took ${ms} ms > ${BUDGET_MS} ms`);
  for (const dp of planes) {
    const names = new Set<string | undefined>();
    for (let i = 0; i < 10; i++) names.add((await hit(dp.url, '/r')).name);
    assert.deepEqual([...names], ['a'], 'no request reaches the failing backend');
  }

  b.setHealthy(true);
  for (const dp of planes) {
    await waitFor(async () => (await statusOf(dp.url, 'b')) === 'healthy' || undefined, 'b healthy again', 10_000);
    const names = new Set<string | undefined>();
    for (let i = 0; i < 10; i++) names.add((await hit(dp.url, '/r')).name);
    assert.deepEqual([...names].sort(), ['a', 'b'], 'the recovered backend takes traffic again');
  }
});

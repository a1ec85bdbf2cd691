// A control plane feeds two data planes over gRPC; both serve, and the control plane lists them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { controlPlaneStatus, hit, metric, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

test('control plane + two data planes over gRPC: both serve, /api/status lists both', async (t) => {
  const a = await startBackend(t, 'a');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a]) });
  const [dp1, dp2] = await Promise.all([
    startDataPlane(t, ['--control-plane', cp.grpc, '--id', 'dp-1']),
    startDataPlane(t, ['--control-plane', cp.grpc, '--id', 'dp-2']),
  ]);

  for (const dp of [dp1, dp2]) assert.deepEqual(await hit(dp.url, '/x'), { status: 200, name: 'a' });

  const status = await waitFor(async () => {
    const s = await controlPlaneStatus(cp.adminUrl);
    const ok = s.dataPlanes.length === 2 && s.dataPlanes.every((d) => d.snapshotVersion === s.snapshotVersion);
    return ok ? s : undefined;
  }, 'both data planes at the current version');
  assert.deepEqual(status.dataPlanes.map((d) => [d.id, d.transport]), [['dp-1', 'grpc'], ['dp-2', 'grpc']]);
  for (const d of status.dataPlanes) assert.ok(!Number.isNaN(Date.parse(d.connectedAt)), `connectedAt is a date: ${d.connectedAt}`);
  assert.equal(await metric(cp.adminUrl, 'portico_data_planes_connected'), 2);
  const served = await waitFor(async () => {
    const v = await metric(dp1.adminUrl, 'portico_snapshot_version');
    return v === status.snapshotVersion ? v : undefined;
  }, 'data plane snapshot version metric');
  assert.ok(served >= 1);

  await dp2.stop();
  await waitFor(async () => (await metric(cp.adminUrl, 'portico_data_planes_connected')) === 1 || undefined, 'one data plane left');
  assert.deepEqual((await controlPlaneStatus(cp.adminUrl)).dataPlanes.map((d) => d.id), ['dp-1']);
});

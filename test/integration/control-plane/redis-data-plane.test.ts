// A data plane fed from Redis (a private redis-server): it serves, it is listed on /api/status, and
// a health change published on the channel reaches it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { controlPlaneStatus, hit, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { startRedis } from '../../helpers/redis.js';
import { clusterYaml, startBackend } from './backends.js';

test('data plane over Redis: serves, is listed with transport redis, follows health changes', async (t) => {
  const redis = await startRedis(t);
  const a = await startBackend(t, 'a');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a], { extra: `redis: { url: "${redis.url}", keyPrefix: "test:" }` }) });
  await waitFor(async () => (await controlPlaneStatus(cp.adminUrl)).clusters[0]!.endpoints[0]!.status === 'healthy' || undefined, 'a healthy');
  const dp = await startDataPlane(t, ['--redis', redis.url, '--redis-key-prefix', 'test:', '--id', 'dp-redis']);

  assert.deepEqual(await hit(dp.url, '/x'), { status: 200, name: 'a' });
  const listed = await waitFor(async () => (await controlPlaneStatus(cp.adminUrl)).dataPlanes.find((d) => d.id === 'dp-redis'), 'dp-redis on /api/status');
  assert.equal(listed.transport, 'redis');

  // Only pub/sub can deliver this: the data plane read the stored snapshot once, at connect.
  a.setHealthy(false);
  const res = await waitFor(async () => {
    const r = await fetch(`${dp.url}/x`);
    await r.arrayBuffer();
    return r.status === 503 ? r : undefined;
  }, 'data plane sees the endpoint unhealthy', 10_000);
  assert.equal(res.status, 503);
  const status = await controlPlaneStatus(cp.adminUrl);
  await waitFor(async () => {
    const d = (await controlPlaneStatus(cp.adminUrl)).dataPlanes.find((x) => x.id === 'dp-redis');
    return d && d.snapshotVersion >= status.snapshotVersion ? d : undefined;
  }, 'heartbeat reports the new version', 10_000);
});

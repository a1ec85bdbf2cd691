// GET /api/status has the SPEC §4 shape; GET /api/events streams `health` on a flip and `snapshot`
// for the version it causes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEvents } from '../../helpers/events.js';
import { waitFor } from '../../helpers/cleanup.js';
import { controlPlaneStatus, startControlPlane } from '../../helpers/planes.js';
import { closedPort } from '../../helpers/upstream.js';
import { clusterYaml, startBackend } from './backends.js';

test('/api/status shape and /api/events health + snapshot events', async (t) => {
  const a = await startBackend(t, 'a');
  const deadPort = await closedPort();
  const yaml = clusterYaml([a]).replace(`name: a }`, `name: a }\n      - { url: "http://127.0.0.1:${deadPort}", name: dead }`);
  const cp = await startControlPlane(t, { yaml });
  const status = await waitFor(async () => {
    const s = await controlPlaneStatus(cp.adminUrl);
    return s.clusters[0]!.endpoints.every((e) => e.status !== 'unknown') ? s : undefined;
  }, 'first probe round');
  assert.deepEqual(Object.keys(status).sort(), ['clusters', 'configVersion', 'dataPlanes', 'snapshotVersion']);
  assert.match(status.configVersion, /^[0-9a-f]{12}$/);
  assert.deepEqual(status.dataPlanes, []);
  const [ea, dead] = status.clusters[0]!.endpoints;
  assert.deepEqual({ ...status.clusters[0], endpoints: undefined }, { name: 'c', balancer: 'round-robin', endpoints: undefined });
  assert.deepEqual(Object.keys(ea!).sort(), ['ejected', 'lastCheck', 'latencyMs', 'name', 'status', 'url']);
  assert.deepEqual([ea!.name, ea!.url, ea!.status, ea!.ejected], ['a', a.url, 'healthy', false]);
  assert.ok(ea!.latencyMs > 0 && !Number.isNaN(Date.parse(ea!.lastCheck!)));
  assert.equal(dead!.status, 'unhealthy');

  const { events, contentType } = await openEvents(t, cp.adminUrl);
  assert.match(contentType, /^text\/event-stream/);

  a.setHealthy(false);
  const health = await waitFor(() => events.find((e) => e.event === 'health'), 'health event', 10_000);
  assert.deepEqual(Object.keys(health.data).sort(), ['at', 'cluster', 'endpoint', 'latencyMs', 'status']);
  assert.deepEqual([health.data.cluster, health.data.endpoint, health.data.status], ['c', 'a', 'unhealthy']);
  const snap = await waitFor(() => events.find((e) => e.event === 'snapshot'), 'snapshot event');
  assert.ok((snap.data.version as number) > status.snapshotVersion);
  assert.equal(events.filter((e) => e.event === 'health').length, 1, 'only flips are events');
});

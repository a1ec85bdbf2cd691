// `portico all`'s /api/events emits a `health` event when a backend's health changes, in both
// directions, and nothing for probes that change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { openEvents, startProbedBackend } from './observe.js';

test('/api/events: health event on every flip of a backend', async (t) => {
  const a = await startProbedBackend(t, 'a');
  const b = await startProbedBackend(t, 'b');
  const gw = await startGateway(t, `
healthCheck: { interval: 200ms, timeout: 500ms, unhealthyThreshold: 1, healthyThreshold: 1 }
clusters:
  - name: api
    endpoints:
      - { url: "${a.url}", name: a }
      - { url: "${b.url}", name: b }
routes:
  - { name: api, match: { prefix: / }, cluster: api }
`);
  await waitForEndpointStatus(gw, 'api', 'healthy');
  const stream = await openEvents(t, gw.adminUrl);
  const health = () => stream.events.filter((e) => e.event === 'health');

  const failedAt = Date.now();
  b.setHealthy(false);
  const down = await waitFor(() => health()[0], 'unhealthy event');
  assert.deepEqual(Object.keys(down.data).sort(), ['at', 'cluster', 'endpoint', 'latencyMs', 'status']);
  assert.deepEqual([down.data.cluster, down.data.endpoint, down.data.status], ['api', 'b', 'unhealthy']);
  assert.ok(Date.parse(down.data.at as string) >= failedAt - 5, 'the event is dated after the failure');
  assert.equal(typeof down.data.latencyMs, 'number');
  await waitFor(() => stream.events.find((e) => e.event === 'snapshot'), 'the snapshot event of the flip');

  b.setHealthy(true);
  const up = await waitFor(() => health()[1], 'healthy event');
  assert.deepEqual([up.data.cluster, up.data.endpoint, up.data.status], ['api', 'b', 'healthy']);

  // Several more probe rounds of both endpoints change nothing: no more health events.
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(health().length, 2);
});

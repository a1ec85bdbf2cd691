// After real traffic, one scrape of `portico all`'s /metrics has the SPEC §6 series with their
// labels: requests by route/cluster/code (including a 404 and an upstream 503), the latency
// histogram with sub-millisecond buckets, upstream requests by endpoint and code, health and probe
// latency gauges, snapshot version, data planes connected, route-cache hits and misses, a failed
// config reload, and Node process metrics.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { find, scrape, startProbedBackend, value } from './observe.js';

test('/metrics after real traffic: SPEC §6 series and labels', async (t) => {
  const a = await startProbedBackend(t, 'a');
  const b = await startProbedBackend(t, 'b');
  const gw = await startGateway(t, `
healthCheck: { interval: 300ms, timeout: 500ms }
clusters:
  - name: api
    outlierDetection: { consecutiveFailures: 100 }
    endpoints:
      - { url: "${a.url}", name: a }
  - name: sticky
    balancer: first-success
    endpoints:
      - { url: "${b.url}", name: b }
routes:
  - { name: api, match: { prefix: /api }, cluster: api, rewrite: { stripPrefix: true } }
  - { name: sticky, match: { prefix: /sticky }, cluster: sticky, rewrite: { stripPrefix: true } }
`);
  await waitForEndpointStatus(gw, 'api', 'healthy');
  await waitForEndpointStatus(gw, 'sticky', 'healthy');

  for (let i = 0; i < 5; i++) assert.equal((await fetch(`${gw.url}/api/ok`)).status, 200);
  assert.equal((await fetch(`${gw.url}/api/boom`)).status, 503);
  assert.equal((await fetch(`${gw.url}/nowhere`)).status, 404);
  assert.equal((await fetch(`${gw.url}/sticky/x`)).status, 200);
  assert.equal((await fetch(`${gw.url}/sticky/x`)).status, 200);
  // A configuration the watcher must reject: counted, and the old one keeps running.
  writeFileSync(gw.configPath, 'routes: [ this is not valid');
  await waitFor(async () => value(await scrape(gw.adminUrl), 'portico_config_reloads_total', { result: 'failure' }) === 1 || undefined, 'failed reload counted');

  const s = await scrape(gw.adminUrl);
  // Every series carries the plane label of the registry.
  assert.ok(s.filter((x) => x.name.startsWith('portico_')).every((x) => x.labels.plane === 'all'));

  assert.equal(value(s, 'portico_requests_total', { route: 'api', cluster: 'api', code: '200' }), 5);
  assert.equal(value(s, 'portico_requests_total', { route: 'api', cluster: 'api', code: '503' }), 1);
  assert.equal(value(s, 'portico_requests_total', { route: '', cluster: '', code: '404' }), 1);
  assert.equal(value(s, 'portico_requests_total', { route: 'sticky', cluster: 'sticky', code: '200' }), 2);
  assert.deepEqual(Object.keys(find(s, 'portico_requests_total')[0]!.labels).sort(), ['cluster', 'code', 'plane', 'route']);

  const buckets = find(s, 'portico_request_duration_seconds_bucket', { route: 'api', cluster: 'api' });
  assert.ok(buckets.some((x) => x.labels.le === '0.0005'), 'sub-millisecond bucket');
  assert.equal(buckets.find((x) => x.labels.le === '+Inf')?.value, 6);
  assert.equal(value(s, 'portico_request_duration_seconds_count', { route: 'api', cluster: 'api' }), 6);
  assert.ok(value(s, 'portico_request_duration_seconds_sum', { route: 'api', cluster: 'api' })! > 0);

  assert.equal(value(s, 'portico_upstream_requests_total', { cluster: 'api', endpoint: 'a', code: '200' }), 5);
  assert.equal(value(s, 'portico_upstream_requests_total', { cluster: 'api', endpoint: 'a', code: '503' }), 1);
  assert.equal(value(s, 'portico_upstream_requests_total', { cluster: 'sticky', endpoint: 'b', code: '200' }), 2);

  assert.equal(value(s, 'portico_upstream_healthy', { cluster: 'api', endpoint: 'a' }), 1);
  assert.equal(value(s, 'portico_upstream_healthy', { cluster: 'sticky', endpoint: 'b' }), 1);
  assert.ok(value(s, 'portico_upstream_probe_latency_seconds', { cluster: 'api', endpoint: 'a' })! > 0);
  assert.ok(value(s, 'portico_snapshot_version')! >= 1);
  assert.equal(value(s, 'portico_data_planes_connected'), 1);
  assert.equal(value(s, 'portico_route_cache_requests_total', { result: 'miss' }), 1);
  assert.equal(value(s, 'portico_route_cache_requests_total', { result: 'hit' }), 1);

  for (const name of ['portico_process_cpu_user_seconds_total', 'portico_process_resident_memory_bytes', 'portico_nodejs_eventloop_lag_seconds', 'portico_nodejs_heap_size_used_bytes']) {
    assert.ok(find(s, name).length > 0, `${name} present`);
  }
});

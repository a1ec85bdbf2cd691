// Admin /healthz and /readyz (and /metrics), plus the traffic listener's own /health and /ready,
// which are never forwarded.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t);
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

test('admin /healthz answers 200 {"status":"ok"}', async () => {
  const res = await httpRequest(`${gw.adminUrl}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('admin /readyz answers 200 once the snapshot is loaded', async () => {
  const res = await httpRequest(`${gw.adminUrl}/readyz`);
  assert.equal(res.status, 200);
  assert.equal(res.json<{ status: string }>().status, 'ready');
});

test('admin /metrics serves Prometheus text with the request counter', async () => {
  await httpRequest(`${gw.url}/count-me`);
  const res = await httpRequest(`${gw.adminUrl}/metrics`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  assert.match(res.text(), /^portico_requests_total\{.*\} \d+/m);
});

test('admin answers unknown paths with the JSON error body', async () => {
  const res = await httpRequest(`${gw.adminUrl}/nope`);
  assert.equal(res.status, 404);
  assert.equal(res.json<{ error: { type: string } }>().error.type, 'no_route');
});

test('traffic /health and /ready are answered by the gateway, not forwarded (even under a catch-all route)', async () => {
  const forwarded = () => up.seen.filter((r) => r.url !== '/health').length;
  const before = forwarded();
  const health = await httpRequest(`${gw.url}/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  const ready = await httpRequest(`${gw.url}/ready`);
  assert.equal(ready.status, 200);
  assert.equal(forwarded(), before);
});

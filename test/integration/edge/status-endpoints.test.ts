// Data-plane status endpoints on the traffic listener (SPEC §4): /health and /ready without a key,
// the public /api/health/status with names, statuses and latencies but no URL or key, and the
// per-cluster document (url, ejected, inFlight) behind the gateway key; 404 no_route for an
// unknown cluster. These paths are never forwarded, even where a catch-all route exists.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { closedPort, echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, answersHealth(echo('api')));
const down = await closedPort();
const gw = await startGateway(t, `
healthCheck: { interval: 200ms, timeout: 200ms, unhealthyThreshold: 1 }
auth: { keys: ["status-key"] }
clusters:
  - name: llm
    endpoints:
      - { url: "${up.url}/v1", name: node-1, auth: { key: "sk-status-secret" } }
      - { url: "http://127.0.0.1:${down}", name: node-2 }
  - { name: other, endpoints: [{ url: "${up.url}", name: other-1 }] }
routes:
  - { match: { prefix: / }, cluster: other, auth: none }
`);

before(async () => {
  await waitForEndpointStatus(gw, 'llm', 'healthy', 'node-1');
  await waitForEndpointStatus(gw, 'llm', 'unhealthy', 'node-2');
  await waitForEndpointStatus(gw, 'other', 'healthy');
});

interface PublicEndpoint { name: string; status: string; latencyMs: number; lastCheck: string }

test('GET /health answers {"status":"ok"} without a key', async () => {
  const res = await httpRequest(`${gw.url}/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('GET /ready answers 200 once a snapshot is loaded', async () => {
  const res = await httpRequest(`${gw.url}/ready`);
  assert.equal(res.status, 200, res.text());
  assert.match(String(res.headers['content-type']), /^application\/json/);
});

test('GET /api/health/status: overall status, snapshot version, endpoints without URLs or keys', async () => {
  const seenBefore = up.seen.filter((s) => s.url.includes('/api/health')).length;
  const res = await httpRequest(`${gw.url}/api/health/status`);
  assert.equal(res.status, 200, res.text());
  const doc = res.json<{ status: string; snapshotVersion: number; clusters: Record<string, { endpoints: PublicEndpoint[] }> }>();
  assert.equal(doc.status, 'degraded', 'one endpoint is down, no cluster is without a usable endpoint');
  assert.ok(Number.isInteger(doc.snapshotVersion) && doc.snapshotVersion >= 1);
  assert.deepEqual(Object.keys(doc.clusters).sort(), ['llm', 'other']);
  const [n1, n2] = doc.clusters.llm!.endpoints;
  assert.deepEqual(Object.keys(n1!).sort(), ['lastCheck', 'latencyMs', 'name', 'status']);
  assert.equal(n1!.name, 'node-1');
  assert.equal(n1!.status, 'healthy');
  assert.equal(typeof n1!.latencyMs, 'number');
  assert.ok(!Number.isNaN(Date.parse(n1!.lastCheck)), `lastCheck ${n1!.lastCheck} is not ISO 8601`);
  assert.equal(n2!.name, 'node-2');
  assert.equal(n2!.status, 'unhealthy');
  const text = res.text();
  assert.ok(!text.includes('127.0.0.1') && !text.includes('http://'), `a URL leaked: ${text}`);
  assert.ok(!text.includes('sk-status-secret'));
  assert.equal(up.seen.filter((s) => s.url.includes('/api/health')).length, seenBefore, 'forwarded upstream');
});

test('GET /api/health/status/{cluster} needs the gateway key', async () => {
  const res = await httpRequest(`${gw.url}/api/health/status/llm`);
  assert.equal(res.status, 401, res.text());
  assert.equal(res.json<{ error: { type: string } }>().error.type, 'unauthorized');
  const wrong = await httpRequest(`${gw.url}/api/health/status/llm`, { headers: { 'x-api-key': 'nope' } });
  assert.equal(wrong.status, 401);
});

test('GET /api/health/status/{cluster} adds url, ejected and inFlight', async () => {
  const res = await httpRequest(`${gw.url}/api/health/status/llm`, { headers: { authorization: 'Bearer status-key' } });
  assert.equal(res.status, 200, res.text());
  const doc = res.json<{ cluster: string; endpoints: Array<PublicEndpoint & { url: string; ejected: boolean; inFlight: number }> }>();
  assert.equal(doc.cluster, 'llm');
  assert.equal(doc.endpoints.length, 2);
  const n1 = doc.endpoints[0]!;
  assert.deepEqual(Object.keys(n1).sort(), ['ejected', 'inFlight', 'lastCheck', 'latencyMs', 'name', 'status', 'url']);
  assert.equal(n1.url, `${up.url}/v1`);
  assert.equal(n1.ejected, false);
  assert.equal(n1.inFlight, 0);
  assert.equal(n1.status, 'healthy');
  assert.equal(doc.endpoints[1]!.status, 'unhealthy');
  assert.ok(!res.text().includes('sk-status-secret'));
});

test('GET /api/health/status/{unknown} is 404 no_route', async () => {
  const res = await httpRequest(`${gw.url}/api/health/status/nope`, { headers: { 'x-api-key': 'status-key' } });
  assert.equal(res.status, 404, res.text());
  assert.equal(res.json<{ error: { type: string } }>().error.type, 'no_route');
});

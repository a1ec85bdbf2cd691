// GET / on the admin listener is the dashboard, complete without script: the first response names
// every cluster and endpoint; its assets come from the control plane itself (no CDN, a CSP that
// allows nothing else); /api/history gives each endpoint's hour; /api/status keeps the SPEC shape;
// no backend or gateway key appears in any of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { controlPlaneStatus } from '../../helpers/planes.js';
import { closedPort } from '../../helpers/upstream.js';
import { startProbedBackend } from './observe.js';

const BACKEND_KEY = 'backend-key-d41d8cd98f';
const GATEWAY_KEY = 'gateway-key-0cc175b9c0';

test('dashboard HTML names every cluster and endpoint; assets local; no keys', async (t) => {
  const a = await startProbedBackend(t, 'a');
  const dead = await closedPort();
  const gw = await startGateway(t, `
healthCheck: { interval: 200ms, timeout: 300ms }
auth: { keys: ["${GATEWAY_KEY}"] }
clusters:
  - name: users
    endpoints:
      - { url: "${a.url}/v1", name: users-a, auth: { key: "${BACKEND_KEY}" } }
      - { url: "http://127.0.0.1:${dead}", name: users-dead }
  - name: billing
    balancer: first-success
    endpoints:
      - { url: "${a.url}", name: billing-a }
routes:
  - { name: users, match: { prefix: /users }, cluster: users }
  - { name: billing, match: { prefix: /billing }, cluster: billing }
`);
  await waitFor(async () => (await controlPlaneStatus(gw.adminUrl)).clusters.every((c) => c.endpoints.every((e) => e.status !== 'unknown')) || undefined, 'first probes');

  const res = await fetch(`${gw.adminUrl}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  const html = await res.text();
  for (const name of ['users', 'billing']) assert.match(html, new RegExp(`<h2>${name}</h2>`));
  for (const [name, url] of [['users-a', `${a.url}/v1`], ['users-dead', `http://127.0.0.1:${dead}`], ['billing-a', a.url]]) {
    assert.ok(html.includes(`<div class="ep-name">${name}</div>`), `endpoint ${name}`);
    assert.ok(html.includes(`<div class="ep-url">${url}</div>`), `url of ${name}`);
  }
  assert.match(html, /data-endpoint="users\/users-dead" data-status="unhealthy"/);
  assert.match(html, /data-endpoint="users\/users-a" data-status="healthy"/);
  assert.match(html, /in-process/, 'the connected data plane is listed');
  // Only local assets: no absolute URL in src/href, no inline script.
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), ['<script src="/dashboard/app.js" defer>']);
  for (const m of html.matchAll(/(?:src|href)="([^"]*)"/g)) assert.ok(m[1]!.startsWith('/') || m[1] === 'data:,', `local asset ${m[1]}`);

  const css = await fetch(`${gw.adminUrl}/dashboard/app.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  assert.match(await css.text(), /@media \(max-width/);
  const js = await fetch(`${gw.adminUrl}/dashboard/app.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.match(await js.text(), /new EventSource\('\/api\/events'\)/);
  const fragment = await fetch(`${gw.adminUrl}/dashboard/content`);
  assert.ok(Number(fragment.headers.get('x-portico-snapshot-version')) >= 1);
  const fragmentHtml = await fragment.text();
  assert.ok(fragmentHtml.includes('<h2>billing</h2>') && !fragmentHtml.includes('<html'));

  const history = await (await fetch(`${gw.adminUrl}/api/history`)).json() as {
    bucketMs: number; windowMinutes: number;
    endpoints: Array<{ cluster: string; endpoint: string; availability: number | null; probes: number; minutes: unknown[]; latency: Array<{ ms: number; healthy: boolean }> }>;
  };
  assert.equal(history.bucketMs, 60_000);
  assert.equal(history.windowMinutes, 60);
  assert.deepEqual(history.endpoints.map((e) => `${e.cluster}/${e.endpoint}`), ['users/users-a', 'users/users-dead', 'billing/billing-a']);
  const [up, down] = history.endpoints;
  assert.equal(up!.availability, 1);
  assert.equal(down!.availability, 0);
  assert.ok(up!.probes >= 1 && up!.minutes.length === 60 && up!.latency.length >= 1 && up!.latency.length <= 30);

  const status = await controlPlaneStatus(gw.adminUrl);
  assert.deepEqual(Object.keys(status).sort(), ['clusters', 'configVersion', 'dataPlanes', 'snapshotVersion']);
  assert.deepEqual(Object.keys(status.clusters[0]!.endpoints[0]!).sort(), ['ejected', 'lastCheck', 'latencyMs', 'name', 'status', 'url']);

  for (const path of ['/', '/dashboard/content', '/api/status', '/api/history']) {
    const body = await (await fetch(`${gw.adminUrl}${path}`)).text();
    assert.ok(!body.includes(BACKEND_KEY) && !body.includes(GATEWAY_KEY), `no key in ${path}`);
  }
});

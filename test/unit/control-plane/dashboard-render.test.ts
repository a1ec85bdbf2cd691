// The dashboard renderer escapes every value it inserts (names and URLs come from configuration
// and must not become markup) and draws sparklines and availability strips from the history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availabilityStrip, escapeHtml, renderPage, sparkline } from '../../../control-plane/src/admin/dashboard/render.js';
import type { EndpointHistory } from '../../../control-plane/src/health/history.js';
import type { StatusBody } from '../../../control-plane/src/admin/routes.js';

const HOSTILE = `<img src=x onerror="alert('x')">&`;

function history(cluster: string, endpoint: string, partial: Partial<EndpointHistory> = {}): EndpointHistory {
  return {
    cluster, endpoint, availability: null, probes: 0,
    minutes: Array.from({ length: 60 }, (_, i) => ({ start: new Date(i * 60_000).toISOString(), healthy: 0, total: 0 })),
    latency: [],
    ...partial,
  };
}

test('escapeHtml covers the five HTML metacharacters', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('renderPage escapes every configured value', () => {
  const status: StatusBody = {
    configVersion: HOSTILE,
    snapshotVersion: 3,
    clusters: [{ name: HOSTILE, balancer: HOSTILE, endpoints: [{ name: HOSTILE, url: `http://h/${HOSTILE}`, status: 'healthy', latencyMs: 1.5, lastCheck: '2025-01-01T00:00:00.000Z', ejected: true, inFlight: 2, saturated: true }] }],
    dataPlanes: [{ id: HOSTILE, transport: 'grpc', snapshotVersion: 2, connectedAt: '2025-01-01T00:00:00.000Z' }],
  };
  const html = renderPage({ status, history: (c, e) => history(c, e), now: Date.UTC(2025, 0, 1) });
  assert.ok(!html.includes('<img'), 'no injected element');
  assert.ok(!html.includes(`onerror="`), 'no injected attribute');
  assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;'));
  assert.match(html, /data-endpoint="&lt;img[^"]*"/, 'attribute values escaped too');
  assert.match(html, /pill-ejected">ejected/, 'an ejection reported in the status is shown');
  assert.match(html, /saturated/, 'saturation reported in the status is shown');
  assert.match(html, /2 in flight/);
  assert.match(html, /behind/, 'a data plane on an older version is flagged');
});

test('sparkline: one point per sample, unhealthy probes marked, nothing drawn without data', () => {
  assert.ok(!sparkline([]).includes('polyline'));
  const svg = sparkline([{ ms: 2, healthy: true }, { ms: 4, healthy: true }, { ms: 4, healthy: false }]);
  const points = /<polyline class="spark-line" points="([^"]+)"/.exec(svg)![1]!.split(' ');
  assert.equal(points.length, 3);
  assert.equal((svg.match(/spark-bad/g) ?? []).length, 1);
  assert.match(svg, /aria-label="probe latency, last 3 probes: min 2\.00 ms, max 4\.00 ms"/);
  assert.ok(!sparkline([{ ms: 0, healthy: false }, { ms: 0, healthy: false }]).includes('polyline'), 'no line before a passing probe');
});

test('availability strip: equal minutes merged, states by share of healthy probes', () => {
  const h = history('c', 'e');
  h.minutes[57] = { start: '', healthy: 10, total: 10 };
  h.minutes[58] = { start: '', healthy: 5, total: 10 };
  h.minutes[59] = { start: '', healthy: 0, total: 10 };
  const classes = [...availabilityStrip(h).matchAll(/class="bar-(\w+)"/g)].map((m) => m[1]);
  assert.deepEqual(classes, ['none', 'ok', 'warn', 'bad']);
});

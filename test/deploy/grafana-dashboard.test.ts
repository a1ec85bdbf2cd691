// deploy/grafana/portico.json: valid dashboard JSON whose every PromQL expression (panels and
// template variables) names only metrics that shared/src/metrics.ts declares (histogram series with
// their _bucket/_sum/_count suffixes, and prom-client's process metrics under the same prefix), and
// which covers the operator's questions listed in issue 6.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { controlPlaneMetrics, createRegistry, dataPlaneMetrics } from '../../shared/src/metrics.js';
import { DEPLOY_DIR } from './helpers/paths.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Array<{ expr: string; refId: string }>;
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: string | { query: string } }> };
}

const dashboard = JSON.parse(readFileSync(join(DEPLOY_DIR, 'grafana/portico.json'), 'utf8')) as Dashboard;

/** Every metric name a Portico process can expose, from the one module that declares them. */
async function declaredSeries(): Promise<Set<string>> {
  const registry = createRegistry('all');
  dataPlaneMetrics(registry);
  controlPlaneMetrics(registry);
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram' || String(m.type) === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }
  return names;
}

// Everything in an expression that is not a metric name: PromQL functions, operators and
// keywords, the label names Portico uses (plus Prometheus' own), Grafana's variables.
const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'histogram_quantile', 'clamp_min', 'clamp_max', 'vector', 'scalar',
  'abs', 'ceil', 'floor', 'round', 'time', 'timestamp', 'label_replace', 'label_join', 'absent', 'changes', 'resets',
  'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
  'label_values',
]);
const LABELS = new Set(['route', 'cluster', 'endpoint', 'code', 'result', 'direction', 'plane', 'le', 'instance', 'job']);

/** Metric names referenced by a PromQL expression (identifiers that are not words, labels or variables). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\$\{?\w+\}?/g, ' ') // $__rate_interval, $instance
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b\d+(?:\.\d+)?(?:e-?\d+)?\b/gi, ' '); // numbers, 1e-9
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w) && !LABELS.has(w));
}

function expressions(): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const p of dashboard.panels) for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    out.push({ where: `variable ${v.name}`, expr: typeof v.query === 'string' ? v.query : v.query!.query });
  }
  return out;
}

test('every PromQL expression refers only to declared metrics', async () => {
  const declared = await declaredSeries();
  const all = expressions();
  assert.ok(all.length >= 20, `${all.length} expressions`);
  const unknown = all.flatMap(({ where, expr }) => metricNames(expr).filter((n) => !declared.has(n)).map((n) => `${where}: ${n}`));
  assert.deepEqual(unknown, []);
  for (const { where, expr } of all) assert.ok(metricNames(expr).length > 0, `${where} names a metric: ${expr}`);
});

test('the metric-name check itself catches undeclared names', async () => {
  const declared = await declaredSeries();
  assert.deepEqual(metricNames('sum by (route) (rate(portico_requests_totl{code=~"5.."}[5m])) / up').filter((n) => !declared.has(n)), ['portico_requests_totl', 'up']);
  assert.deepEqual(metricNames('histogram_quantile(0.99, sum by (le) (rate(portico_request_duration_seconds_bucket[$__rate_interval])))'), ['portico_request_duration_seconds_bucket']);
});

test('the dashboard covers the operator questions of issue 6', () => {
  const text = expressions().map((e) => e.expr).join('\n');
  const titles = dashboard.panels.map((p) => p.title).join('\n');
  const wanted: Array<[string, RegExp]> = [
    ['request rate', /rate\(portico_requests_total/],
    ['error rate by code', /sum by \(code\) \(rate\(portico_requests_total\{[^}]*code=~"4\.\.\|5\.\."/],
    ['latency quantiles from the histogram', /histogram_quantile\(0\.99, sum by \(le\) \(rate\(portico_request_duration_seconds_bucket/],
    ['upstream health', /portico_upstream_healthy/],
    ['probe latency', /portico_upstream_probe_latency_seconds/],
    ['websocket tunnels', /portico_websocket_tunnels/],
    ['snapshot version', /portico_snapshot_version/],
    ['data planes connected', /portico_data_planes_connected/],
    ['config reload failures', /portico_config_reloads_total\{result="failure"\}/],
    ['route cache hit ratio', /portico_route_cache_requests_total\{[^}]*result="hit"\}[^/]*\/[^\n]*portico_route_cache_requests_total/],
    ['process metrics', /portico_process_resident_memory_bytes/],
  ];
  for (const [what, re] of wanted) assert.match(text, re, what);
  assert.match(titles, /Latency quantiles/);
});

test('dashboard structure: unique panel ids, data source variable, grid inside 24 columns', () => {
  assert.equal(dashboard.uid, 'portico-gateway');
  assert.ok(dashboard.schemaVersion >= 36);
  const ids = dashboard.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(dashboard.templating.list.some((v) => v.type === 'datasource' && v.name === 'datasource'));
  for (const p of dashboard.panels) {
    assert.ok(p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24, `panel ${p.title} fits`);
    if (p.type !== 'row') assert.equal(p.datasource?.uid, '${datasource}', `panel ${p.title} uses the data source variable`);
  }
});

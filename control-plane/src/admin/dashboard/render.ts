// Server-side rendering of the dashboard (SPEC §4 `GET /`): the first response already names every
// cluster and endpoint, readable without script. The browser script (client.ts) patches rows from
// /api/events and swaps in a fresh `renderContent` from /dashboard/content when versions move.
// Pure functions of the status body and the health history; every inserted value is escaped.
import type { EndpointHistory } from '../../health/history.js';
import type { StatusBody } from '../routes.js';

export interface DashboardModel {
  status: StatusBody;
  history: (cluster: string, endpoint: string) => EndpointHistory;
  /** Milliseconds since the epoch, for "generated at". */
  now: number;
}

export const ASSET_CSS = '/dashboard/app.css';
export const ASSET_JS = '/dashboard/app.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function renderPage(model: DashboardModel): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>Portico · control plane</title>
<link rel="stylesheet" href="${ASSET_CSS}">
<script src="${ASSET_JS}" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true">◆</span> Portico <span class="sub">control plane</span></div>
  <div class="live" id="live" data-state="static" role="status" aria-live="polite"><span class="dot" aria-hidden="true"></span><span id="live-text">snapshot at ${escapeHtml(clock(model.now))}</span></div>
</header>
<main id="content" data-snapshot-version="${escapeHtml(model.status.snapshotVersion)}">
${renderContent(model)}
</main>
<footer class="foot">
  <a href="/api/status">/api/status</a> · <a href="/api/history">/api/history</a> · <a href="/api/events">/api/events</a> · <a href="/metrics">/metrics</a>
</footer>
</body>
</html>
`;
}

/** The inside of `<main>`: what the script replaces on refresh. */
export function renderContent(model: DashboardModel): string {
  const { status } = model;
  const all = status.clusters.flatMap((c) => c.endpoints);
  const count = (s: string) => all.filter((e) => e.status === s).length;
  const behind = status.dataPlanes.filter((d) => d.snapshotVersion < status.snapshotVersion).length;
  return `<section class="summary" aria-label="Summary">
  ${tile('Endpoints healthy', `<span data-count="healthy">${count('healthy')}</span> / <span data-count="all">${all.length}</span>`, count('unhealthy') > 0 ? 'bad' : count('healthy') === all.length ? 'ok' : 'warn')}
  ${tile('Unhealthy', `<span data-count="unhealthy">${count('unhealthy')}</span>`, count('unhealthy') > 0 ? 'bad' : '')}
  ${tile('Unknown', `<span data-count="unknown">${count('unknown')}</span>`, '')}
  ${tile('Data planes', `${status.dataPlanes.length}${behind > 0 ? ` <small>(${behind} behind)</small>` : ''}`, status.dataPlanes.length === 0 ? 'warn' : behind > 0 ? 'warn' : 'ok', 'data-planes')}
  ${tile('Snapshot version', escapeHtml(status.snapshotVersion), '', 'snapshot-version')}
  ${tile('Config version', `<code>${escapeHtml(status.configVersion)}</code>`, '')}
</section>
<section class="clusters" aria-label="Clusters">
${status.clusters.map((c) => renderCluster(c, model)).join('\n')}
</section>
<section class="planes" aria-labelledby="planes-title">
  <h2 id="planes-title">Connected data planes</h2>
  ${renderDataPlanes(status)}
</section>
<p class="note">Probe latency is the control plane's smoothed health-check latency (sparkline: last 30 probes, red where the endpoint was unhealthy).
Availability is the share of the last hour's probes that found the endpoint healthy (one bar per minute).
Outlier ejections and in-flight load are decided by each data plane and reported to the control plane about once a second
(data planes fed over Redis and <code>--workers</code> processes do not report): an endpoint shows <em>ejected</em> when any data plane has ejected it,
<em>saturated</em> when one is at its <code>maxRequests</code> share, and the in-flight requests summed over the reporting data planes.</p>
<p class="generated">Rendered at <time datetime="${escapeHtml(new Date(model.now).toISOString())}">${escapeHtml(clock(model.now))}</time>.</p>`;
}

type ClusterStatus = StatusBody['clusters'][number];
type EndpointStatus = ClusterStatus['endpoints'][number];

function renderCluster(c: ClusterStatus, model: DashboardModel): string {
  const healthy = c.endpoints.filter((e) => e.status === 'healthy').length;
  const state = healthy === c.endpoints.length ? 'ok' : healthy === 0 ? 'bad' : 'warn';
  return `<article class="cluster" data-cluster="${escapeHtml(c.name)}" data-state="${state}">
  <header class="cluster-head">
    <h2>${escapeHtml(c.name)}</h2>
    <span class="tag">${escapeHtml(c.balancer)}</span>
    <span class="cluster-count" data-state="${state}"><span data-cluster-healthy>${healthy}</span> / ${c.endpoints.length} healthy</span>
  </header>
  <table class="endpoints">
    <thead><tr><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Probe latency</th><th scope="col">Last check</th><th scope="col">Availability (1 h)</th></tr></thead>
    <tbody>
${c.endpoints.map((e) => renderEndpoint(c.name, e, model.history(c.name, e.name))).join('\n')}
    </tbody>
  </table>
</article>`;
}

function renderEndpoint(cluster: string, e: EndpointStatus, h: EndpointHistory): string {
  const key = `${cluster}/${e.name}`;
  return `      <tr class="endpoint" data-endpoint="${escapeHtml(key)}" data-status="${escapeHtml(e.status)}">
        <td data-label="Endpoint"><div class="ep-name">${escapeHtml(e.name)}</div><div class="ep-url">${escapeHtml(e.url)}</div></td>
        <td data-label="Status">${statusPill(e.status)}${e.ejected ? ' <span class="pill pill-ejected">ejected</span>' : ''}${e.saturated ? ' <span class="pill pill-ejected">saturated</span>' : ''}${e.inFlight > 0 ? ` <span class="in-flight">${escapeHtml(String(e.inFlight))} in flight</span>` : ''}</td>
        <td data-label="Probe latency"><span class="latency">${escapeHtml(formatMs(e.latencyMs))}</span>${sparkline(h.latency)}</td>
        <td data-label="Last check">${e.lastCheck ? `<time class="last-check" datetime="${escapeHtml(e.lastCheck)}">${escapeHtml(clock(Date.parse(e.lastCheck)))}</time>` : '<time class="last-check">never</time>'}</td>
        <td data-label="Availability (1 h)"><span class="avail" data-state="${availabilityState(h.availability)}">${escapeHtml(formatAvailability(h.availability))}</span>${availabilityStrip(h)}</td>
      </tr>`;
}

const STATUS_MARK: Record<string, string> = { healthy: '●', unhealthy: '✕', unknown: '?' };

function statusPill(status: string): string {
  return `<span class="pill status" data-status="${escapeHtml(status)}"><span class="mark" aria-hidden="true">${STATUS_MARK[status] ?? '?'}</span> <span class="status-text">${escapeHtml(status)}</span></span>`;
}

function renderDataPlanes(status: StatusBody): string {
  if (status.dataPlanes.length === 0) return '<p class="empty">No data plane is connected.</p>';
  const rows = status.dataPlanes.map((d) => {
    const current = d.snapshotVersion >= status.snapshotVersion;
    return `<tr>
      <td data-label="Data plane"><code>${escapeHtml(d.id)}</code></td>
      <td data-label="Transport"><span class="tag">${escapeHtml(d.transport)}</span></td>
      <td data-label="Snapshot"><span class="pill" data-state="${current ? 'ok' : 'warn'}">v${escapeHtml(d.snapshotVersion)}${current ? '' : ' · behind'}</span></td>
      <td data-label="Connected"><time datetime="${escapeHtml(d.connectedAt)}">${escapeHtml(clock(Date.parse(d.connectedAt)))}</time></td>
    </tr>`;
  }).join('\n');
  return `<table class="data-planes">
    <thead><tr><th scope="col">Data plane</th><th scope="col">Transport</th><th scope="col">Snapshot</th><th scope="col">Connected</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>`;
}

function tile(label: string, valueHtml: string, state: string, id?: string): string {
  return `<div class="tile"${state ? ` data-state="${state}"` : ''}${id ? ` data-tile="${id}"` : ''}><div class="tile-label">${escapeHtml(label)}</div><div class="tile-value">${valueHtml}</div></div>`;
}

const SPARK_W = 96;
const SPARK_H = 22;

/** Inline SVG of the recent probe latencies; points where the endpoint was unhealthy are marked. */
export function sparkline(samples: EndpointHistory['latency']): string {
  if (samples.length < 2) return `<svg class="spark" viewBox="0 0 ${SPARK_W} ${SPARK_H}" width="${SPARK_W}" height="${SPARK_H}" aria-hidden="true"></svg>`;
  const measured = samples.some((s) => s.ms > 0);
  const max = Math.max(...samples.map((s) => s.ms), 0.001);
  const step = SPARK_W / (samples.length - 1);
  const pts = samples.map((s, i) => [i * step, SPARK_H - 2 - (s.ms / max) * (SPARK_H - 4)] as const);
  const line = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  const area = `0,${SPARK_H} ${line} ${SPARK_W},${SPARK_H}`;
  const bad = samples.map((s, i) => (s.healthy ? '' : `<rect class="spark-bad" x="${(pts[i]![0] - step / 2).toFixed(1)}" y="0" width="${step.toFixed(1)}" height="${SPARK_H}"/>`)).join('');
  const [lx, ly] = pts[pts.length - 1]!;
  const label = `probe latency, last ${samples.length} probes: min ${formatMs(Math.min(...samples.map((s) => s.ms)))}, max ${formatMs(max)}`;
  if (!measured) return `<svg class="spark" viewBox="0 0 ${SPARK_W} ${SPARK_H}" width="${SPARK_W}" height="${SPARK_H}" role="img" aria-label="no passing probe yet"><title>no passing probe yet</title>${bad}</svg>`;
  return `<svg class="spark" viewBox="0 0 ${SPARK_W} ${SPARK_H}" width="${SPARK_W}" height="${SPARK_H}" role="img" aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>${bad}<polygon class="spark-area" points="${area}"/><polyline class="spark-line" points="${line}"/><circle class="spark-dot" cx="${lx.toFixed(1)}" cy="${ly.toFixed(1)}" r="2"/></svg>`;
}

/** One bar per minute of the last hour, coloured by that minute's availability (equal runs merged). */
export function availabilityStrip(h: EndpointHistory): string {
  const w = 2;
  const states = h.minutes.map((m) => (m.total === 0 ? 'none' : m.healthy === m.total ? 'ok' : m.healthy === 0 ? 'bad' : 'warn'));
  let bars = '';
  for (let i = 0; i < states.length;) {
    let j = i + 1;
    while (j < states.length && states[j] === states[i]) j++;
    bars += `<rect class="bar-${states[i]}" x="${i * w}" y="0" width="${(j - i) * w - 0.4}" height="12"/>`;
    i = j;
  }
  const label = `availability per minute, last ${h.minutes.length} minutes`;
  return `<svg class="strip" viewBox="0 0 ${h.minutes.length * w} 12" width="${h.minutes.length * w}" height="12" role="img" aria-label="${label}">${bars}</svg>`;
}

function formatMs(ms: number): string {
  if (!(ms > 0)) return '–';
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function formatAvailability(a: number | null): string {
  if (a === null) return 'no data';
  if (a === 1) return '100 %';
  return `${(Math.floor(a * 1000) / 10).toFixed(1)} %`;
}

function availabilityState(a: number | null): string {
  return a === null ? 'none' : a >= 0.999 ? 'ok' : a >= 0.9 ? 'warn' : 'bad';
}

/** HH:MM:SS UTC: the same on every machine, readable without script. */
function clock(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

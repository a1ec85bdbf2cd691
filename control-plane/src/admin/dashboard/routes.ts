// The dashboard's routes on the control-plane admin listener (SPEC §4 `GET /`):
//   GET /                    the page, server-rendered (every cluster and endpoint, no script needed)
//   GET /dashboard/content   the page's <main> alone, for the script's refresh after a new version
//   GET /dashboard/app.css   GET /dashboard/app.js   the assets (served here: no CDN)
//   GET /api/history         per-endpoint availability (60 one-minute buckets) and recent latencies
// /api/status keeps its SPEC shape; the history is a separate document.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HISTORY_BUCKET_MS, HISTORY_BUCKETS, type EndpointHistory } from '../../health/history.js';
import type { StatusBody } from '../routes.js';
import { DASHBOARD_JS } from './client.js';
import { ASSET_CSS, ASSET_JS, renderContent, renderPage, type DashboardModel } from './render.js';
import { DASHBOARD_CSS } from './styles.js';

export interface DashboardOptions {
  status: () => StatusBody;
  history: (cluster: string, endpoint: string) => EndpointHistory;
  /** Milliseconds since the epoch. */
  now: () => number;
}

export interface HistoryBody {
  bucketMs: number;
  windowMinutes: number;
  generatedAt: string;
  endpoints: EndpointHistory[];
}

// Everything the page loads comes from this origin; the SVG is inline markup, not script.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function registerDashboardRoutes(app: FastifyInstance, options: DashboardOptions): void {
  const model = (): DashboardModel => ({ status: options.status(), history: options.history, now: options.now() });
  const html = (reply: FastifyReply, body: string, version: number) =>
    reply.headers(PAGE_HEADERS).header('x-portico-snapshot-version', String(version)).type('text/html; charset=utf-8').send(body);

  app.get('/', async (_request, reply) => {
    const m = model();
    return html(reply, renderPage(m), m.status.snapshotVersion);
  });
  app.get('/dashboard/content', async (_request, reply) => {
    const m = model();
    return html(reply, renderContent(m), m.status.snapshotVersion);
  });
  app.get(ASSET_CSS, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/css; charset=utf-8').send(DASHBOARD_CSS));
  app.get(ASSET_JS, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/javascript; charset=utf-8').send(DASHBOARD_JS));

  app.get('/api/history', async (_request, reply) => {
    const status = options.status();
    const body: HistoryBody = {
      bucketMs: HISTORY_BUCKET_MS,
      windowMinutes: HISTORY_BUCKETS,
      generatedAt: new Date(options.now()).toISOString(),
      endpoints: status.clusters.flatMap((c) => c.endpoints.map((e) => options.history(c.name, e.name))),
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}

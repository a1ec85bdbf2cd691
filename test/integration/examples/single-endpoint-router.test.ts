// examples/single-endpoint-router: payload routes and first-success with the route cache in a
// private Redis, with the requests its README shows.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startRedis } from '../../helpers/redis.js';
import { startUpstream, type Upstream, type UpstreamHandler } from '../../helpers/upstream.js';
import { startExample } from './run.js';

const t = { after };
/** Answers `GET /` (the health check) and `/collect`; other paths only where listed. */
const backend = (name: string, owns: string[]): UpstreamHandler => (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url!.split('?')[0]!;
    const ok = path === '/' || path === '/collect' || owns.includes(path);
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ backend: name, path, body: Buffer.concat(chunks).toString() }));
  });
};
const hits = (u: Upstream, path: string) => u.seen.filter((s) => s.url === path).length;

const redis = await startRedis(t);
const logs = await startUpstream(t, backend('logs', []));
const reports = await startUpstream(t, backend('reports', ['/invoices/42']));
const archive = await startUpstream(t, backend('archive', ['/invoices/42']));
const gw = await startExample(t, 'single-endpoint-router', {
  REDIS_URL: redis.url, LOGS_BACKEND: logs.url, REPORTS_BACKEND: reports.url, ARCHIVE_BACKEND: archive.url,
});
await waitForEndpointStatus(gw, 'first-success', 'healthy');

const post = (body: unknown) => httpRequest(`${gw.url}/collect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('payload routes: the body picks the backend', async () => {
  const a = await post({ name: 'log_file.log', path: 'c:/logs' });
  assert.equal(a.json<{ backend: string }>().backend, 'logs');
  const b = await post({ path: 'c:/logs', name: 'log_file.log' });
  assert.equal(b.json<{ backend: string }>().backend, 'logs', 'key order does not matter');
  const c = await post({ kind: 'report', period: 'monthly' });
  assert.equal(c.json<{ backend: string; body: string }>().backend, 'reports');
  assert.equal(c.json<{ body: string }>().body, '{"kind":"report","period":"monthly"}');
});

test('first-success: logs answers 404, reports 200; the second request goes straight to reports via Redis', async () => {
  const first = await httpRequest(`${gw.url}/invoices/42`);
  assert.equal(first.status, 200);
  assert.equal(first.json<{ backend: string }>().backend, 'reports');
  assert.equal(hits(logs, '/invoices/42'), 1);
  assert.equal(hits(archive, '/invoices/42'), 0);

  const client = new Redis(redis.url, { lazyConnect: true });
  after(() => client.disconnect());
  await client.connect();
  const keys = await client.keys('portico:route-cache:*');
  assert.equal(keys.length, 1, `one remembered decision in Redis: ${keys.join(', ')}`);
  assert.equal(await client.get(keys[0]!), 'reports');

  const second = await httpRequest(`${gw.url}/invoices/42`);
  assert.equal(second.json<{ backend: string }>().backend, 'reports');
  assert.equal(hits(logs, '/invoices/42'), 1, 'logs was not asked again');
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
  assert.match(metrics, /portico_route_cache_requests_total\{[^}]*result="hit"[^}]*\} [1-9]/);
});

test('DELETE /api/route-cache forgets the decision', async () => {
  const res = await fetch(`${gw.adminUrl}/api/route-cache`, { method: 'DELETE' });
  assert.equal(res.status, 204);
  const before = hits(logs, '/invoices/42');
  // Within 1 s every data plane forgets; retry until logs is asked first again.
  const deadline = Date.now() + 3_000;
  while (hits(logs, '/invoices/42') === before && Date.now() < deadline) {
    assert.equal((await httpRequest(`${gw.url}/invoices/42`)).json<{ backend: string }>().backend, 'reports');
    if (hits(logs, '/invoices/42') === before) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(hits(logs, '/invoices/42'), before + 1);
});

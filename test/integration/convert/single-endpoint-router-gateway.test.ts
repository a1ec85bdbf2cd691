// `portico all` on a converted single-endpoint-router config.yaml (the README's example in
// test/golden/convert/single-endpoint-router/log-services.yaml, its backend URLs pointed at local
// servers) routes as the tool documented: a POST whose JSON body equals a listed payload goes to
// the backend that lists it; anything else goes to the first backend, in file order, that answers
// 2xx, and that decision is remembered, so a repeat skips the backends that failed before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGateway, type Gateway } from '../../helpers/gateway.js';
import { convertText, goldenInput, withBackends } from '../../helpers/convert.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream, type Upstream, type UpstreamHandler } from '../../helpers/upstream.js';

const cleanups: Array<() => unknown> = [];
const t = { after: (fn: () => unknown) => { cleanups.push(fn); } };
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/** A backend that serves `paths` (200 with its name and what it got) and answers 404 to the rest. */
function logBackend(name: string, paths: string[]): UpstreamHandler {
  return (req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => { body += d; });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const status = paths.includes(path) ? 200 : 404;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ backend: name, status, method: req.method, url: req.url, body }));
    });
  };
}

let gw: Gateway;
let a: Upstream;
let b: Upstream;
let c: Upstream;

before(async () => {
  // /list_log_files is listed under a, but only b serves it.
  a = await startUpstream(t, logBackend('a', ['/get_log_files', '/load_log_file', '/both']));
  b = await startUpstream(t, logBackend('b', ['/archive_logs', '/verify_log', '/list_log_files', '/both', '/reports']));
  c = await startUpstream(t, logBackend('c', ['/delete_logs', '/log_summary', '/reports']));
  const input = withBackends(goldenInput('single-endpoint-router', 'log-services.yaml'), {
    'http://127.0.0.1:3000': a.url,
    'http://127.0.0.1:3100': b.url,
    'http://127.0.0.1:3200': c.url,
  });
  const converted = await convertText(t, 'single-endpoint-router', input, 'config.yaml');
  assert.equal(converted.code, 0, converted.stderr);
  gw = await startGateway(t, converted.stdout);
  await waitForEndpointStatus(gw, 'first-success', 'healthy');
});

interface Answer { backend: string; status: number; method: string; url: string; body: string }

async function send(method: string, path: string, json?: unknown): Promise<{ status: number; answer: Answer }> {
  const res = await httpRequest(`${gw.url}${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, answer: res.json<Answer>() };
}

/** Requests a backend saw for `path`, leaving out the control plane's probes of GET /. */
const hits = (u: Upstream, path: string) => u.seen.filter((r) => r.url.split('?')[0] === path).length;

test('single-endpoint-router converted: a POST whose body equals a listed payload goes to the backend that lists it', async () => {
  // Listed under the first backend; key order does not matter.
  const first = await send('POST', '/get_log_files', { path: 'd:/backup/logs', name: 'backup_log.log' });
  assert.deepEqual([first.status, first.answer.backend, first.answer.url], [200, 'a', '/get_log_files']);
  assert.deepEqual(JSON.parse(first.answer.body), { path: 'd:/backup/logs', name: 'backup_log.log' });

  // Listed under the last backend: the earlier ones are not asked.
  const last = await send('POST', '/log_summary', { summary_type: 'daily', date: '2025-05-01' });
  assert.deepEqual([last.status, last.answer.backend], [200, 'c']);
  const put = await send('PUT', '/delete_logs', { directory: 'c:/logs/old', pattern: '*.log', dry_run: false });
  assert.deepEqual([put.status, put.answer.backend, put.answer.method], [200, 'c', 'PUT']);
  assert.equal(hits(a, '/log_summary') + hits(b, '/log_summary') + hits(a, '/delete_logs') + hits(b, '/delete_logs'), 0);
});

test('single-endpoint-router converted: a listed payload goes to its backend even when that backend says no', async () => {
  const res = await send('POST', '/list_log_files', { directory: 'c:/logs', include_subdirs: true });
  assert.deepEqual([res.status, res.answer.backend], [404, 'a']);
  assert.equal(hits(b, '/list_log_files'), 0, 'a payload route is not first-success');
});

test('single-endpoint-router converted: any other body goes first-success, and the decision is remembered', async () => {
  // One extra key: the old tool's subset matching would have sent this to b; Portico does not.
  const body = { source: 'c:/logs', destination: 'e:/archives', compress: true, note: 'extra' };
  const first = await send('POST', '/archive_logs', body);
  assert.deepEqual([first.status, first.answer.backend], [200, 'b']);
  assert.equal(hits(a, '/archive_logs'), 1); // tried first, answered 404
  assert.equal(hits(b, '/archive_logs'), 1);

  const again = await send('POST', '/archive_logs', body);
  assert.deepEqual([again.status, again.answer.backend], [200, 'b']);
  assert.equal(hits(a, '/archive_logs'), 1, 'the remembered decision skips the backend that failed');
  assert.equal(hits(b, '/archive_logs'), 2);

  // Another body is another decision: a is tried again.
  const other = await send('POST', '/archive_logs', { ...body, note: 'other' });
  assert.deepEqual([other.status, other.answer.backend], [200, 'b']);
  assert.equal(hits(a, '/archive_logs'), 2);
});

test('single-endpoint-router converted: first-success takes the first backend in file order that answers 2xx', async () => {
  const both = await send('GET', '/both');
  assert.deepEqual([both.status, both.answer.backend], [200, 'a']);
  assert.equal(hits(b, '/both'), 0);

  const reports = await send('GET', '/reports?month=5');
  assert.deepEqual([reports.status, reports.answer.backend, reports.answer.url], [200, 'b', '/reports?month=5']);
  assert.deepEqual([hits(a, '/reports'), hits(c, '/reports')], [1, 0]);
});

test('single-endpoint-router converted: when no backend answers 2xx the client gets the last answer', async () => {
  const res = await send('POST', '/nowhere', { any: 'thing' });
  assert.deepEqual([res.status, res.answer.backend], [404, 'c']);
  assert.deepEqual([hits(a, '/nowhere'), hits(b, '/nowhere'), hits(c, '/nowhere')], [1, 1, 1]);
});

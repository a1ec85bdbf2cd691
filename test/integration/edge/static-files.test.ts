// Static routes (SPEC §2 `static`): files under the prefix with their content types,
// ETag / Last-Modified validators answering 304, byte ranges (206), HEAD, 404 JSON for missing
// files and directories without index.html, 405 for methods other than GET and HEAD.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { makeStaticSite } from './static-site.js';

const t = { after };
const site = makeStaticSite(t);
const gw = await startGateway(t, `
routes:
  - { match: { prefix: /static }, static: { root: "${site.root}" } }
`);
const url = (p: string) => `${gw.url}/static/${p}`;

test('files are served with their content types and exact bytes', async () => {
  const cases: Array<[string, RegExp]> = [
    ['index.html', /^text\/html/],
    ['assets/app.js', /^(application|text)\/javascript/],
    ['assets/style.css', /^text\/css/],
    ['assets/data.json', /^application\/json/],
    ['assets/logo.png', /^image\/png$/],
  ];
  for (const [name, type] of cases) {
    const res = await httpRequest(url(name));
    assert.equal(res.status, 200, `${name}: ${res.text()}`);
    assert.match(String(res.headers['content-type']), type, name);
    assert.ok(res.body.equals(site.files[name]!), `${name}: different bytes`);
    assert.ok(res.headers['x-request-id'], 'x-request-id on static answers');
  }
});

test('the bare prefix and a trailing slash serve index.html', async () => {
  for (const p of ['/static', '/static/']) {
    const res = await httpRequest(`${gw.url}${p}`);
    assert.equal(res.status, 200, p);
    assert.ok(res.body.equals(site.files['index.html']!), p);
  }
});

test('ETag: If-None-Match with the current tag answers 304 without a body', async () => {
  const first = await httpRequest(url('assets/style.css'));
  const etag = first.headers.etag;
  assert.ok(etag, 'no ETag');
  const again = await httpRequest(url('assets/style.css'), { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  const stale = await httpRequest(url('assets/style.css'), { headers: { 'if-none-match': '"something-else"' } });
  assert.equal(stale.status, 200);
});

test('Last-Modified: If-Modified-Since at that date answers 304', async () => {
  const first = await httpRequest(url('assets/style.css'));
  const lastModified = first.headers['last-modified'];
  assert.ok(lastModified && !Number.isNaN(Date.parse(lastModified)), `Last-Modified ${lastModified}`);
  const again = await httpRequest(url('assets/style.css'), { headers: { 'if-modified-since': lastModified } });
  assert.equal(again.status, 304);
  const older = await httpRequest(url('assets/style.css'), { headers: { 'if-modified-since': new Date(0).toUTCString() } });
  assert.equal(older.status, 200);
});

test('a byte range answers 206 with Content-Range and exactly those bytes', async () => {
  const big = site.files['assets/big.txt']!;
  const res = await httpRequest(url('assets/big.txt'), { headers: { range: 'bytes=100-199', 'accept-encoding': 'gzip, br' } });
  assert.equal(res.status, 206);
  assert.equal(res.headers['content-range'], `bytes 100-199/${big.length}`);
  assert.equal(res.headers['content-encoding'], undefined, 'a range is never compressed');
  assert.ok(res.body.equals(big.subarray(100, 200)));
  const suffix = await httpRequest(url('assets/big.txt'), { headers: { range: 'bytes=-10' } });
  assert.equal(suffix.status, 206);
  assert.ok(suffix.body.equals(big.subarray(big.length - 10)));
});

// Regression: an unsatisfiable range was answered 404 no_route ("not found") for a file that exists.
test('an unsatisfiable range is 416 with Content-Range: bytes */size', async () => {
  const big = site.files['assets/big.txt']!;
  const beyond = await httpRequest(url('assets/big.txt'), { headers: { range: `bytes=${big.length + 10}-` } });
  assert.equal(beyond.status, 416, beyond.text());
  assert.equal(beyond.headers['content-range'], `bytes */${big.length}`);
  assert.equal(beyond.json<{ error: { type: string } }>().error.type, 'range_not_satisfiable');
});

test('HEAD answers the headers of GET without a body', async () => {
  const res = await httpRequest(url('assets/app.js'), { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(Number(res.headers['content-length']), site.files['assets/app.js']!.length);
  assert.equal(res.body.length, 0);
});

test('a missing file and a directory without index.html are 404 no_route JSON', async () => {
  for (const p of ['assets/missing.js', 'empty-dir/', 'empty-dir']) {
    const res = await httpRequest(url(p));
    assert.equal(res.status, 404, `${p}: ${res.status} ${res.text()}`);
    assert.equal(res.json<{ error: { type: string } }>().error.type, 'no_route', p);
  }
});

test('methods other than GET and HEAD are 405', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await httpRequest(url('index.html'), { method, headers: { 'content-length': '1' }, body: 'x' });
    assert.equal(res.status, 405, method);
    assert.equal(res.json<{ error: { type: string } }>().error.type, 'method_not_allowed');
  }
});

// Every `request` override of a route: method, body, forwardQuery: false, and headers
// set / add / remove / replace, as the upstream receives them.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

interface Echoed { method: string; url: string; headers: Record<string, string | undefined>; body: string }

const t = { after };
const up = await startUpstream(t);
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - name: method
    match: { prefix: /method }
    cluster: up
    request: { method: PATCH }
  - name: body
    match: { prefix: /body }
    cluster: up
    request: { method: POST, body: '{"fixed": true}' }
  - name: no-query
    match: { prefix: /no-query }
    cluster: up
    request: { forwardQuery: false }
  - name: headers
    match: { prefix: /headers }
    cluster: up
    request:
      headers:
        set: { X-Env: prod, host: backend.internal }
        add: { x-tag: gateway }
        remove: [Cookie, x-drop-me]
  - name: replace
    match: { prefix: /replace }
    cluster: up
    request:
      headers:
        replace: { accept: "*/*", x-only: "yes" }
  - name: plain
    match: { prefix: /plain }
    cluster: up
`);

async function via(path: string, options: Parameters<typeof httpRequest>[1] = {}): Promise<Echoed> {
  const res = await httpRequest(`${gw.url}${path}`, options);
  assert.equal(res.status, 200, res.text());
  return res.json<Echoed>();
}

test('request.method replaces the client method', async () => {
  const seen = await via('/method/x', { method: 'GET' });
  assert.equal(seen.method, 'PATCH');
});

test('request.body replaces the client body, with its own Content-Length', async () => {
  const seen = await via('/body', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'client body that must not arrive' });
  assert.equal(seen.method, 'POST');
  assert.equal(seen.body, '{"fixed": true}');
  assert.equal(seen.headers['content-length'], String(Buffer.byteLength('{"fixed": true}')));
});

test('request.body is sent even when the client sent no body', async () => {
  const seen = await via('/body', { method: 'GET' });
  assert.equal(seen.body, '{"fixed": true}');
});

test('request.body with a chunked client body sends only the configured body', async () => {
  const { Readable } = await import('node:stream');
  const seen = await via('/body', { method: 'POST', body: Readable.from([Buffer.from('chunk-1'), Buffer.from('chunk-2')]) });
  assert.equal(seen.body, '{"fixed": true}');
  assert.equal(seen.headers['transfer-encoding'], undefined);
});

test('forwardQuery: false drops the query string', async () => {
  const seen = await via('/no-query/x?secret=1&b=2');
  assert.equal(seen.url, '/no-query/x');
});

test('the query is forwarded by default', async () => {
  const seen = await via('/plain/x?a=1&b=2');
  assert.equal(seen.url, '/plain/x?a=1&b=2');
});

test('headers.set replaces the client value and adds missing ones (names in any case)', async () => {
  const seen = await via('/headers', { headers: { 'x-env': 'dev' } });
  assert.equal(seen.headers['x-env'], 'prod');
  const again = await via('/headers');
  assert.equal(again.headers['x-env'], 'prod');
});

test('headers.set may choose the upstream Host', async () => {
  const seen = await via('/headers');
  assert.equal(seen.headers.host, 'backend.internal');
});

test('headers.add appends to the client value', async () => {
  const seen = await via('/headers', { headers: { 'x-tag': 'client' } });
  assert.equal(seen.headers['x-tag'], 'client, gateway');
  const alone = await via('/headers');
  assert.equal(alone.headers['x-tag'], 'gateway');
});

test('headers.remove drops the named headers whatever their case', async () => {
  const seen = await via('/headers', { headers: ['Cookie', 'session=1', 'X-Drop-Me', '1', 'x-keep', 'kept'] });
  assert.equal(seen.headers.cookie, undefined);
  assert.equal(seen.headers['x-drop-me'], undefined);
  assert.equal(seen.headers['x-keep'], 'kept');
});

test('headers.replace sends only the configured headers (plus the gateway\'s)', async () => {
  const seen = await via('/replace', { headers: { accept: 'text/html', cookie: 'a=b', 'x-client': '1', 'x-request-id': 'keep-me-1' } });
  assert.equal(seen.headers.accept, '*/*');
  assert.equal(seen.headers['x-only'], 'yes');
  assert.equal(seen.headers.cookie, undefined);
  assert.equal(seen.headers['x-client'], undefined);
  // The gateway still adds Host, X-Forwarded-* and X-Request-ID.
  assert.equal(seen.headers.host, up.url.slice('http://'.length));
  assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen.headers['x-forwarded-proto'], 'http');
  assert.equal(seen.headers['x-request-id'], 'keep-me-1');
});

test('headers.replace still forwards the client body', async () => {
  const seen = await via('/replace', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'payload' });
  assert.equal(seen.body, 'payload');
});

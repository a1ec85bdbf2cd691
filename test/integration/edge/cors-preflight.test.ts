// CORS preflights (SPEC §2 `cors`, §4): OPTIONS with Origin and Access-Control-Request-Method is
// answered by the gateway without a key for allowed origins (configured methods, headers,
// credentials, max-age), refused with 403 JSON for others, never forwarded; the route is chosen
// with the requested method; a route may override the policy or turn CORS off (`cors: false`).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, echo('api'));
const gw = await startGateway(t, `
auth: { keys: ["cors-key"] }
gateway:
  cors:
    origins: ["https://app.example.com", "https://admin.example.com"]
    methods: [GET, POST]
    headers: [authorization, content-type]
    credentials: true
    maxAge: 90s
clusters:
  - { name: api, endpoints: [{ url: "${up.url}" }] }
routes:
  - name: public
    match: { prefix: /public }
    cluster: api
    cors: { origins: ["*"], methods: [GET], headers: [x-custom], maxAge: 5s }
  - { name: nocors, match: { prefix: /nocors }, cluster: api, cors: false, auth: none }
  - name: post-only
    match: { prefix: /upload, methods: [POST] }
    cluster: api
    cors: { origins: ["https://uploader.example.com"], methods: [POST], maxAge: 1m }
  - { name: api, match: { prefix: / }, cluster: api }
`);

function preflight(path: string, origin: string, method: string, extra: Record<string, string> = {}) {
  return httpRequest(`${gw.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, ...extra },
  });
}

function forwardedOptions(): number {
  return up.seen.filter((s) => s.method === 'OPTIONS').length;
}

test('an allowed origin gets 204 with the configured policy, without a key, and nothing is forwarded', async () => {
  const before = forwardedOptions();
  const res = await preflight('/v1/chat', 'https://admin.example.com', 'POST', { 'access-control-request-headers': 'content-type' });
  assert.equal(res.status, 204, res.text());
  assert.equal(res.headers['access-control-allow-origin'], 'https://admin.example.com');
  assert.equal(res.headers['access-control-allow-methods'], 'GET, POST');
  assert.equal(res.headers['access-control-allow-headers'], 'authorization, content-type');
  assert.equal(res.headers['access-control-allow-credentials'], 'true');
  assert.equal(res.headers['access-control-max-age'], '90');
  assert.match(String(res.headers.vary), /Origin/);
  assert.equal(res.body.length, 0);
  assert.equal(forwardedOptions(), before);
});

test('an origin not in the list is refused with 403 JSON forbidden and nothing is forwarded', async () => {
  const before = forwardedOptions();
  for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.test', 'null', 'https://APP.example.com']) {
    const res = await preflight('/v1/chat', origin, 'POST');
    assert.equal(res.status, 403, `${origin}: ${res.text()}`);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.json<{ error: { type: string } }>().error.type, 'forbidden');
  }
  assert.equal(forwardedOptions(), before);
});

test('a route override with "*" answers any origin with its own methods, headers and max-age', async () => {
  const res = await preflight('/public/data', 'https://anyone.test', 'GET');
  assert.equal(res.status, 204, res.text());
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-allow-methods'], 'GET');
  assert.equal(res.headers['access-control-allow-headers'], 'x-custom');
  assert.equal(res.headers['access-control-max-age'], '5');
  assert.equal(res.headers['access-control-allow-credentials'], undefined);
});

test('the route is matched with the requested method, not OPTIONS', async () => {
  const post = await preflight('/upload/file', 'https://uploader.example.com', 'POST');
  assert.equal(post.status, 204, post.text());
  assert.equal(post.headers['access-control-allow-methods'], 'POST');
  assert.equal(post.headers['access-control-max-age'], '60');
  // GET /upload is not the post-only route: the catch-all (gateway policy) decides.
  const get = await preflight('/upload/file', 'https://uploader.example.com', 'GET');
  assert.equal(get.status, 403, get.text());
  const getApp = await preflight('/upload/file', 'https://app.example.com', 'GET');
  assert.equal(getApp.status, 204);
  assert.equal(getApp.headers['access-control-allow-methods'], 'GET, POST');
});

test('cors: false leaves OPTIONS to the upstream and adds no CORS headers', async () => {
  const before = forwardedOptions();
  const res = await preflight('/nocors/x', 'https://app.example.com', 'POST');
  assert.equal(res.status, 200, res.text());
  assert.equal(res.headers['x-upstream'], 'api');
  assert.equal(res.headers['access-control-allow-origin'], undefined);
  assert.equal(forwardedOptions(), before + 1);
});

test('an OPTIONS without Access-Control-Request-Method is not a preflight and needs a key', async () => {
  const res = await httpRequest(`${gw.url}/v1/chat`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
  assert.equal(res.status, 401, res.text());
});

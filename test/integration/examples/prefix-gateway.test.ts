// examples/prefix-gateway: FastAPI-style services under prefixes (Location and OpenAPI mapped
// back, regex rewrite), CORS for the app's origin, and the SPA from the example's public/ folder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream, type UpstreamHandler } from '../../helpers/upstream.js';
import { examplePath, startExample } from './run.js';

const t = { after };
const ORIGIN = 'http://localhost:5173';

/** What a FastAPI app mounted at / serves: /health, JSON routes, redirects, /openapi.json. */
const fastapi = (name: string, routes: Record<string, unknown>): UpstreamHandler => (req, res) => {
  const path = req.url!.split('?')[0]!;
  if (path === '/health') { res.writeHead(200); res.end('ok'); return; }
  if (path === '/me') { res.writeHead(307, { location: '/login' }); res.end(); return; }
  if (path === '/openapi.json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ openapi: '3.1.0', info: { title: name, version: '1' }, paths: Object.fromEntries(Object.keys(routes).map((p) => [p, {}])) }));
    return;
  }
  const body = routes[path];
  res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body ?? { detail: 'Not Found' }));
};

const users = await startUpstream(t, fastapi('users', { '/items': [{ id: 1, name: 'ann' }] }));
const billing = await startUpstream(t, fastapi('billing', { '/api/invoices': [{ id: 'inv-1' }] }));
const gw = await startExample(t, 'prefix-gateway', { USERS_SERVICE: users.url, BILLING_SERVICE: billing.url, APP_ORIGIN: ORIGIN });
await waitForEndpointStatus(gw, 'users', 'healthy');
await waitForEndpointStatus(gw, 'billing', 'healthy');

test('users service under /users: prefix stripped, redirect and OpenAPI mapped back under /users', async () => {
  const items = await httpRequest(`${gw.url}/users/items`);
  assert.deepEqual(items.json(), [{ id: 1, name: 'ann' }]);
  assert.equal(users.seen.at(-1)!.url, '/items');
  const me = await httpRequest(`${gw.url}/users/me`);
  assert.equal(me.status, 307);
  assert.equal(me.headers.location, '/users/login');
  const doc = (await httpRequest(`${gw.url}/users/openapi.json`)).json<{ servers: unknown; paths: object }>();
  assert.deepEqual(doc.servers, [{ url: '/users' }]);
  assert.deepEqual(Object.keys(doc.paths), ['/items']);
});

test('billing service through the regex rewrite', async () => {
  const res = await httpRequest(`${gw.url}/billing/invoices`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), [{ id: 'inv-1' }]);
  assert.equal(billing.seen.at(-1)!.url, '/api/invoices');
});

test('CORS: the gateway answers the preflight and decorates responses for the app origin only', async () => {
  const pre = await httpRequest(`${gw.url}/users/items`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], ORIGIN);
  assert.equal(pre.headers['access-control-allow-credentials'], 'true');
  const get = await httpRequest(`${gw.url}/users/items`, { headers: { origin: ORIGIN } });
  assert.equal(get.headers['access-control-allow-origin'], ORIGIN);
  const other = await httpRequest(`${gw.url}/users/items`, { headers: { origin: 'https://evil.example' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('the SPA: index.html at / and for client-side routes', async () => {
  const index = readFileSync(examplePath('prefix-gateway', 'public/index.html'), 'utf8');
  const root = await httpRequest(`${gw.url}/`);
  assert.equal(root.status, 200);
  assert.match(String(root.headers['content-type']), /text\/html/);
  assert.equal(root.text(), index);
  const deep = await httpRequest(`${gw.url}/settings/profile`);
  assert.equal(deep.status, 200);
  assert.equal(deep.text(), index);
});

// The library in a real Fastify app: the porticoProxy plugin and a hand-written route calling
// proxyPass apply the SPEC §2 `request` overrides (method, body, headers set/add/remove/replace,
// forwardQuery) with the gateway's header rules, and upstream failures become §3.2 JSON errors.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeSharedConnections, porticoProxy, proxyPass } from '../../../data-plane/src/lib/index.js';
import { httpRequest } from '../../helpers/http.js';
import { closedPort, echo, startUpstream } from '../../helpers/upstream.js';
import { startApp } from './app.js';

const t = { after };
after(() => closeSharedConnections());
interface Echo { name: string; method: string; url: string; headers: Record<string, string>; body: string }

const backend = await startUpstream(t, echo('backend'));
const dead = await closedPort();
const { url } = await startApp(t, async (app) => {
  await app.register(porticoProxy, {
    prefix: '/api',
    upstream: `${backend.url}/base`,
    headers: { set: { 'x-env': 'test' }, add: { 'x-tag': 'a' }, remove: ['cookie'] },
  });
  await app.register(porticoProxy, { prefix: '/replaced', upstream: backend.url, headers: { replace: { accept: '*/*' } }, forwardQuery: false });
  await app.register(porticoProxy, { prefix: '/down', upstream: `http://127.0.0.1:${dead}` });
  app.post('/hand-written', (request, reply) => {
    reply.hijack();
    void proxyPass(request.raw, reply.raw, backend.url, { method: 'PUT', body: '{"fixed":true}', path: '/fixed/target?q=1' });
  });
  app.get('/own-route', async () => ({ served: 'by fastify' }));
});

test('plugin: prefix stripped onto the upstream base path, headers edited, query and body forwarded', async () => {
  const res = await httpRequest(`${url}/api/users/7?x=1&y=2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'session=secret', 'x-env': 'client', 'x-tag': 'client-tag' },
    body: '{"hello":"world"}',
  });
  assert.equal(res.status, 200);
  const seen = res.json<Echo>();
  assert.equal(seen.url, '/base/users/7?x=1&y=2');
  assert.equal(seen.method, 'POST');
  assert.equal(seen.body, '{"hello":"world"}');
  assert.equal(seen.headers['x-env'], 'test');
  assert.equal(seen.headers['x-tag'], 'client-tag, a');
  assert.equal(seen.headers.cookie, undefined);
  assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen.headers['x-forwarded-proto'], 'http');
  assert.match(String(res.headers['x-request-id']), /\S/);
  assert.equal(seen.headers['x-request-id'], res.headers['x-request-id']);
  assert.equal(res.headers['x-upstream'], 'backend');
});

test('plugin: replace sends only the listed headers (plus the gateway\'s); forwardQuery false drops the query', async () => {
  const res = await httpRequest(`${url}/replaced/p?secret=1`, { headers: { 'x-client': 'yes', accept: 'text/html' } });
  const seen = res.json<Echo>();
  assert.equal(seen.url, '/p');
  assert.equal(seen.headers['x-client'], undefined);
  assert.equal(seen.headers.accept, '*/*');
  assert.ok(seen.headers['x-forwarded-for']);
});

test('proxyPass from a route: method, body and path overrides', async () => {
  const res = await httpRequest(`${url}/hand-written?client=1`, { method: 'POST', body: 'client body', headers: { 'content-type': 'text/plain' } });
  assert.equal(res.status, 200);
  const seen = res.json<Echo>();
  assert.equal(seen.method, 'PUT');
  assert.equal(seen.body, '{"fixed":true}');
  assert.equal(seen.url, '/fixed/target?q=1');
});

test('an unreachable upstream answers 502 upstream_error as JSON; other routes of the app are untouched', async () => {
  const res = await httpRequest(`${url}/down/x`);
  assert.equal(res.status, 502);
  assert.equal(res.json<{ error: { type: string } }>().error.type, 'upstream_error');
  const own = await httpRequest(`${url}/own-route`);
  assert.deepEqual(own.json(), { served: 'by fastify' });
});

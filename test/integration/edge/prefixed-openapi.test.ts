// Prefixed services, API documents (SPEC §2 `response.openapi`): an OpenAPI 3 document served by
// an app mounted under /svc gets servers under /svc (keeping each server's own path), a Swagger 2
// document gets basePath under /svc and loses its host, so Swagger UI calls back through the
// gateway. Other JSON, non-200 answers and routes without `openapi` pass unchanged.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const docs: Record<string, { status?: number; body: unknown }> = {
  '/openapi.json': {
    body: {
      openapi: '3.0.3',
      info: { title: 'app', version: '1' },
      servers: [{ url: 'http://10.0.0.7:8000/v2', description: 'internal' }, { url: '/' }],
      paths: { '/items': { get: { responses: { 200: { description: 'ok' } } } } },
    },
  },
  '/openapi-no-servers.json': { body: { openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/a': {} } } },
  '/swagger.json': { body: { swagger: '2.0', host: '10.0.0.7:8000', basePath: '/v1', info: { title: 's', version: '1' }, paths: { '/pets': {} } } },
  '/swagger-no-base.json': { body: { swagger: '2.0', host: 'internal', paths: {} } },
  '/plain.json': { body: { hello: 'world', servers: [{ url: '/' }] } },
  '/error.json': { status: 500, body: { openapi: '3.0.0', servers: [{ url: '/' }] } },
};
const app = await startUpstream(t, answersHealth((req, res) => {
  const doc = docs[req.url ?? ''];
  if (!doc) { res.writeHead(404); res.end(); return; }
  res.writeHead(doc.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(doc.body));
}));

const gw = await startGateway(t, `
clusters:
  - { name: app, retries: 0, endpoints: [{ url: "${app.url}" }] }
routes:
  - { match: { prefix: /svc }, cluster: app, rewrite: { stripPrefix: true }, response: { openapi: true } }
  - { match: { prefix: /raw }, cluster: app, rewrite: { stripPrefix: true } }
`);

async function getJson(path: string): Promise<{ status: number; doc: Record<string, unknown>; length: string | undefined; bytes: number }> {
  const res = await httpRequest(`${gw.url}${path}`);
  return { status: res.status, doc: res.json(), length: res.headers['content-length'], bytes: res.body.length };
}

test('OpenAPI 3: every server URL is moved under the prefix, keeping its path; paths unchanged', async () => {
  const { status, doc, length, bytes } = await getJson('/svc/openapi.json');
  assert.equal(status, 200);
  assert.deepEqual(doc.servers, [{ url: '/svc/v2', description: 'internal' }, { url: '/svc' }]);
  assert.deepEqual(Object.keys(doc.paths as object), ['/items']);
  assert.equal(Number(length), bytes, 'Content-Length matches the rewritten body');
});

test('OpenAPI 3 without servers gets the prefix as its only server', async () => {
  const { doc } = await getJson('/svc/openapi-no-servers.json');
  assert.deepEqual(doc.servers, [{ url: '/svc' }]);
});

test('Swagger 2: basePath goes under the prefix and host is removed', async () => {
  const a = await getJson('/svc/swagger.json');
  assert.equal(a.doc.basePath, '/svc/v1');
  assert.equal('host' in a.doc, false);
  assert.deepEqual(Object.keys(a.doc.paths as object), ['/pets']);
  const b = await getJson('/svc/swagger-no-base.json');
  assert.equal(b.doc.basePath, '/svc');
  assert.equal('host' in b.doc, false);
});

test('JSON that is not an API document, error answers and routes without openapi are unchanged', async () => {
  assert.deepEqual((await getJson('/svc/plain.json')).doc, docs['/plain.json']!.body);
  const err = await getJson('/svc/error.json');
  assert.equal(err.status, 500);
  assert.deepEqual(err.doc, docs['/error.json']!.body);
  assert.deepEqual((await getJson('/raw/openapi.json')).doc, docs['/openapi.json']!.body);
});

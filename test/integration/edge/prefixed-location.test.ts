// Prefixed services, redirects (SPEC §2 `response.rewriteLocation`): an app mounted at /svc that
// redirects to /login sends the browser to /svc/login; absolute URLs pointing at the endpoint
// itself are mapped too (without its base path), other hosts and relative references pass
// unchanged, and a route without rewriteLocation leaves Location alone.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const app = await startUpstream(t, (req, res) => {
  const path = (req.url ?? '/').replace(/^\/app(?=\/|$)/, '') || '/';
  const base = req.url?.startsWith('/app') ? '/app' : '';
  const to: Record<string, string> = {
    '/root-relative': '/login?next=%2Fhome',
    '/absolute-self': `${selfUrl()}${base}/dashboard?tab=1#top`,
    '/other-host': 'https://accounts.example.com/oauth?x=1',
    '/relative': 'next/step',
    '/network-path': '//cdn.example.com/asset.js',
    '/already-prefixed': '/svc/elsewhere',
    '/with-base': `${base}/login`,
  };
  const location = to[path];
  if (location === undefined) { res.writeHead(200); res.end('ok'); return; }
  res.writeHead(302, { location });
  res.end();
});
function selfUrl(): string { return app.url; }

const gw = await startGateway(t, `
clusters:
  - { name: app, endpoints: [{ url: "${app.url}" }] }
  - { name: based, endpoints: [{ url: "${app.url}/app" }] }
routes:
  - { match: { prefix: /svc }, cluster: app, rewrite: { stripPrefix: true }, response: { rewriteLocation: true } }
  - { match: { prefix: /based }, cluster: based, rewrite: { stripPrefix: true }, response: { rewriteLocation: true } }
  - { match: { prefix: /plain }, cluster: app, rewrite: { stripPrefix: true } }
`);

async function location(path: string): Promise<string | undefined> {
  const res = await httpRequest(`${gw.url}${path}`);
  assert.equal(res.status, 302, `${path}: ${res.status} ${res.text()}`);
  return res.headers.location;
}

const cases: Array<[path: string, expected: string]> = [
  ['/svc/root-relative', '/svc/login?next=%2Fhome'],
  ['/svc/absolute-self', '/svc/dashboard?tab=1#top'],
  ['/svc/other-host', 'https://accounts.example.com/oauth?x=1'],
  ['/svc/relative', 'next/step'],
  ['/svc/network-path', '//cdn.example.com/asset.js'],
  ['/svc/already-prefixed', '/svc/elsewhere'],
  // The endpoint's base path is the app's root: /app/login is its /login.
  ['/based/with-base', '/based/login'],
  ['/based/absolute-self', '/based/dashboard?tab=1#top'],
  ['/plain/root-relative', '/login?next=%2Fhome'],
  ['/plain/absolute-self', `${app.url}/dashboard?tab=1#top`],
];

for (const [path, expected] of cases) {
  test(`Location for ${path} is ${expected}`, async () => {
    assert.equal(await location(path), expected);
  });
}

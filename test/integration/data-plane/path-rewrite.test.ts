// rewrite.stripPrefix (including the bare prefix -> "/") and rewrite.regex, as the upstream sees
// the path; the endpoint URL's own path is kept in front.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t);
const gw = await startGateway(t, `
clusters:
  - { name: plain, endpoints: [{ url: "${up.url}" }] }
  - { name: based, endpoints: [{ url: "${up.url}/base/" }] }
routes:
  - { name: strip, match: { prefix: /svc/model }, cluster: plain, rewrite: { stripPrefix: true } }
  - { name: strip-slash, match: { prefix: /slash/ }, cluster: plain, rewrite: { stripPrefix: true } }
  - { name: strip-based, match: { prefix: /b }, cluster: based, rewrite: { stripPrefix: true } }
  - { name: regex, match: { prefix: /api }, cluster: plain, rewrite: { regex: "^/api/v(\\\\d+)/(.*)$", replacement: "/version-$1/$2" } }
  - { name: keep, match: { prefix: /keep }, cluster: plain }
`);

const cases: Array<{ name: string; path: string; upstream: string }> = [
  { name: 'stripPrefix removes the prefix', path: '/svc/model/v1/chat', upstream: '/v1/chat' },
  { name: 'stripPrefix keeps the query', path: '/svc/model/v1/chat?stream=true&x=1', upstream: '/v1/chat?stream=true&x=1' },
  { name: 'stripPrefix turns the bare prefix into /', path: '/svc/model', upstream: '/' },
  { name: 'stripPrefix turns the bare prefix with a query into /?q', path: '/svc/model?q=1', upstream: '/?q=1' },
  { name: 'stripPrefix on the prefix plus "/" gives /', path: '/svc/model/', upstream: '/' },
  { name: 'stripPrefix with a prefix written with a trailing slash', path: '/slash/x', upstream: '/x' },
  { name: 'stripPrefix with a trailing-slash prefix, bare', path: '/slash', upstream: '/' },
  { name: 'stripPrefix under an endpoint base path', path: '/b/x/y', upstream: '/base/x/y' },
  { name: 'stripPrefix bare prefix under an endpoint base path', path: '/b', upstream: '/base/' },
  { name: 'regex rewrite with capture groups', path: '/api/v2/users/7', upstream: '/version-2/users/7' },
  { name: 'regex rewrite keeps the query', path: '/api/v1/x?a=b', upstream: '/version-1/x?a=b' },
  { name: 'regex that does not match leaves the path', path: '/api/other', upstream: '/api/other' },
  { name: 'no rewrite forwards the path as is', path: '/keep/a/b?c=d', upstream: '/keep/a/b?c=d' },
];

for (const c of cases) {
  test(c.name, async () => {
    const res = await httpRequest(`${gw.url}${c.path}`);
    assert.equal(res.status, 200, res.text());
    assert.equal(res.json<{ url: string }>().url, c.upstream);
  });
}

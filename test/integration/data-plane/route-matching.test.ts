// Route matching through the real gateway: each matcher kind, first match wins, and the prefix
// whole-segment rule (/a matches /a and /a/b, not /ab).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const names = ['prefix', 'exact', 'regex', 'methods', 'headers', 'fallback'] as const;
const upstreams = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await startUpstream(t, echo(n))] as const)));

const gw = await startGateway(t, `
clusters:
${names.map((n) => `  - { name: ${n}, endpoints: [{ url: "${upstreams[n]!.url}" }] }`).join('\n')}
routes:
  - { name: prefix, match: { prefix: /a }, cluster: prefix }
  - { name: exact, match: { path: /exact }, cluster: exact }
  - { name: regex, match: { regex: "^/items/[0-9]+$" }, cluster: regex }
  - { name: methods, match: { prefix: /m, methods: [PUT, DELETE] }, cluster: methods }
  - { name: headers, match: { prefix: /h, headers: { X-Tenant: acme } }, cluster: headers }
  - { name: fallback, match: { prefix: /fallback }, cluster: fallback }
`);

const cases: Array<{ name: string; method?: string; path: string; headers?: Record<string, string>; expect: string | 404 }> = [
  { name: 'prefix matches the bare prefix', path: '/a', expect: 'prefix' },
  { name: 'prefix matches below it', path: '/a/b/c', expect: 'prefix' },
  { name: 'prefix matches with a trailing slash', path: '/a/', expect: 'prefix' },
  { name: 'prefix matches with a query', path: '/a?x=1', expect: 'prefix' },
  { name: 'prefix does not match a longer segment', path: '/ab', expect: 404 },
  { name: 'prefix is case-sensitive', path: '/A', expect: 404 },
  { name: 'exact path matches itself', path: '/exact', expect: 'exact' },
  { name: 'exact path matches with a query', path: '/exact?q=1', expect: 'exact' },
  { name: 'exact path does not match below it', path: '/exact/x', expect: 404 },
  { name: 'exact path does not match with a trailing slash', path: '/exact/', expect: 404 },
  { name: 'regex matches', path: '/items/42', expect: 'regex' },
  { name: 'regex is anchored as written', path: '/items/42/x', expect: 404 },
  { name: 'regex does not match other text', path: '/items/abc', expect: 404 },
  { name: 'methods: a listed method matches', method: 'PUT', path: '/m/x', expect: 'methods' },
  { name: 'methods: another listed method matches', method: 'DELETE', path: '/m', expect: 'methods' },
  { name: 'methods: an unlisted method does not', method: 'GET', path: '/m/x', expect: 404 },
  { name: 'headers: the exact value matches (config name in any case)', path: '/h', headers: { 'x-tenant': 'acme' }, expect: 'headers' },
  { name: 'headers: the request header name in any case', path: '/h/1', headers: { 'X-TENANT': 'acme' }, expect: 'headers' },
  { name: 'headers: another value does not match', path: '/h', headers: { 'x-tenant': 'other' }, expect: 404 },
  { name: 'headers: a missing header does not match', path: '/h', expect: 404 },
  { name: 'a later route matches when earlier ones do not', path: '/fallback/z', expect: 'fallback' },
  { name: 'no route at all', path: '/nothing-here', expect: 404 },
];

for (const c of cases) {
  test(c.name, async () => {
    const res = await httpRequest(`${gw.url}${c.path}`, { method: c.method ?? 'GET', headers: c.headers ?? {} });
    if (c.expect === 404) {
      assert.equal(res.status, 404, res.text());
      assert.equal(res.json<{ error: { type: string } }>().error.type, 'no_route');
    } else {
      assert.equal(res.status, 200, res.text());
      assert.equal(res.json<{ name: string }>().name, c.expect);
    }
  });
}

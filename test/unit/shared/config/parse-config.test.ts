// parseConfig: schema and cross-field problems are all reported, each with its field path (and
// line); ${VAR} / ${VAR:-default} interpolation; defaults; warnings for unreachable routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../../../shared/src/config/index.js';

const CLUSTER = 'clusters:\n  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }] }\n';

function problems(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml, env, '/tmp');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail('expected the configuration to be rejected');
}

const bad: Array<{ name: string; yaml: string; env?: Record<string, string>; expected: string[] }> = [
  { name: 'endpoint URL not http(s)', yaml: 'clusters:\n  - { name: c, endpoints: [{ url: "http://a:1" }, { url: "ftp://x" }] }\nroutes: [{ match: { prefix: / }, cluster: c }]\n', expected: ['clusters[0].endpoints[1].url: must be an http(s) URL'] },
  { name: 'endpoint URL with credentials', yaml: 'clusters:\n  - { name: c, endpoints: [{ url: "http://u:p@a:1" }] }\nroutes: [{ match: { prefix: / }, cluster: c }]\n', expected: ['clusters[0].endpoints[0].url: must not contain credentials (use auth.key)'] },
  { name: 'unknown keys at every level', yaml: `gatway: {}\n${CLUSTER}routes: [{ match: { prefix: /, pth: /x }, cluster: c, rewrite: { strip: true } }]\n`, expected: ['gatway: unknown key', 'routes[0].match.pth: unknown key', 'routes[0].rewrite.strip: unknown key'] },
  { name: 'unset variable without default', yaml: `auth: { keys: ["\${NOPE_KEY}"] }\n${CLUSTER}routes: [{ match: { prefix: / }, cluster: c }]\n`, expected: ['auth.keys[0]: environment variable NOPE_KEY is not set and has no default'] },
  { name: 'unknown cluster', yaml: `${CLUSTER}routes: [{ match: { prefix: / }, cluster: other }]\n`, expected: ['routes[0].cluster: unknown cluster "other"'] },
  { name: 'duplicate route names and identical matchers', yaml: `${CLUSTER}routes:\n  - { name: r, match: { prefix: /a }, cluster: c }\n  - { name: r, match: { prefix: /a }, cluster: c }\n`, expected: ['routes[1].name: duplicate route name "r"', 'routes[1].match: same matcher as routes[0]'] },
  { name: 'stripPrefix without a prefix matcher', yaml: `${CLUSTER}routes: [{ match: { path: /a }, cluster: c, rewrite: { stripPrefix: true } }]\n`, expected: ['routes[0].rewrite.stripPrefix: needs match.prefix'] },
  { name: 'regex rewrite without replacement', yaml: `${CLUSTER}routes: [{ match: { prefix: /a }, cluster: c, rewrite: { regex: "^/a" } }]\n`, expected: ['routes[0].rewrite: regex and replacement go together'] },
  { name: 'header value with CR/LF', yaml: `${CLUSTER}routes: [{ match: { prefix: /a }, cluster: c, request: { headers: { set: { x-a: "a\\r\\nx-b: c" } } } }]\n`, expected: ['routes[0].request.headers.set.x-a: must not contain CR, LF or NUL'] },
  { name: 'no routes', yaml: `${CLUSTER}routes: []\n`, expected: ['routes: must list at least one route'] },
  { name: 'wrong types', yaml: `gateway: { statusEndpoints: "yes" }\n${CLUSTER}routes: [{ match: { prefix: / }, cluster: c, websocket: 1 }]\n`, expected: ['gateway.statusEndpoints: must be a boolean', 'routes[0].websocket: must be a boolean'] },
];

for (const c of bad) {
  test(`rejected: ${c.name}`, () => {
    const got = problems(c.yaml, c.env);
    for (const e of c.expected) assert.ok(got.includes(e), `missing ${JSON.stringify(e)} in ${JSON.stringify(got)}`);
  });
}

test('every problem is reported at once, not only the first', () => {
  const got = problems('clusters:\n  - { name: c, timeout: x, endpoints: [{ url: "nope" }] }\nroutes: [{ match: { prefix: / }, cluster: c, typo: 1 }]\n');
  assert.ok(got.length >= 3, JSON.stringify(got));
});

test('problems carry the YAML line', () => {
  try {
    parseConfig('clusters:\n  - name: c\n    endpoints:\n      - url: "ftp://x"\nroutes: [{ match: { prefix: / }, cluster: c }]\n', {}, '/tmp');
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems[0]!.line, 4);
    assert.match(err.message, /clusters\[0\]\.endpoints\[0\]\.url: must be an http\(s\) URL \(line 4\)/);
  }
});

test('${VAR} and ${VAR:-default} are interpolated; whole-value numbers become numbers', () => {
  const { config } = parseConfig(
    'clusters:\n  - { name: c, retries: "${RETRIES}", timeout: "${TIMEOUT:-7s}", endpoints: [{ url: "http://${HOST:-127.0.0.1}:${PORT}" }] }\nroutes: [{ match: { prefix: / }, cluster: c }]\n',
    { RETRIES: '3', PORT: '5000', HOST: '' },
    '/tmp',
  );
  assert.equal(config.clusters[0]!.retries, 3);
  assert.equal(config.clusters[0]!.timeout, 7_000);
  assert.equal(config.clusters[0]!.endpoints[0]!.url, 'http://127.0.0.1:5000');
});

test('$${ is a literal ${, not a reference (the value is kept, no variable is required)', () => {
  const { config } = parseConfig(`${CLUSTER}routes: [{ match: { prefix: / }, cluster: c, request: { headers: { set: { x-a: "$\${NOT_SET} and \${V}", x-b: "$\${" } } } }]\n`, { V: 'v' }, '/tmp');
  assert.deepEqual(config.routes[0]!.request.headers?.set, { 'x-a': '${NOT_SET} and v', 'x-b': '${' });
});

test('an interpolated value cannot inject YAML structure', () => {
  const { config } = parseConfig(`${CLUSTER}routes: [{ match: { prefix: / }, cluster: c, request: { headers: { set: { x-a: "\${V}" } } } }]\n`, { V: 'a: b, c: [d] # e' }, '/tmp');
  assert.deepEqual(config.routes[0]!.request.headers?.set, { 'x-a': 'a: b, c: [d] # e' });
});

test('defaults: names, balancer, timeouts, forwardQuery', () => {
  const { config } = parseConfig(`${CLUSTER}routes: [{ match: { prefix: / }, cluster: c }]\n`, {}, '/tmp');
  const c = config.clusters[0]!;
  assert.equal(c.balancer, 'round-robin');
  assert.equal(c.timeout, 30_000);
  assert.equal(c.connectTimeout, 2_000);
  assert.equal(c.retries, 1);
  assert.equal(c.endpoints[0]!.name, '127.0.0.1:5000');
  assert.equal(config.routes[0]!.name, 'route-0');
  assert.equal(config.routes[0]!.request.forwardQuery, true);
});

test('a route that can never match is a warning, not an error', () => {
  const { warnings } = parseConfig(`${CLUSTER}routes:\n  - { name: all, match: { prefix: / }, cluster: c }\n  - { name: late, match: { path: /x }, cluster: c }\n`, {}, '/tmp');
  assert.deepEqual(warnings.map((w) => w.path), ['routes[1]']);
});

test('a prefix does not shadow a longer segment it does not cover', () => {
  const { warnings } = parseConfig(`${CLUSTER}routes:\n  - { name: a, match: { prefix: /a }, cluster: c }\n  - { name: ab, match: { prefix: /ab }, cluster: c }\n`, {}, '/tmp');
  assert.deepEqual(warnings, []);
});

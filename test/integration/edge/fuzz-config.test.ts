// Fuzz of the configuration loader `portico validate` uses (parseConfig): generated documents —
// mostly valid shapes with mutated fields, plus random YAML and ${VAR} references — either load
// or throw ConfigError whose every problem names a field path (or the document, for YAML
// syntax), never any other exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError, parseConfig } from '../../../shared/src/config/load.js';

const scalar = fc.oneof(
  fc.constantFrom('', '/', '/api', 'x', '5s', '0', '-1', '1mb', '99999999999kb', 'http://127.0.0.1:1', 'redis://x', '${UNSET}', '${SET}', '${SET:-d}', 'a\r\nb', '*', '^(a+)+$', '(', null, true, false, 0, -1, 1.5, 1e300),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('url', 'name', 'prefix', 'keys', 'x', 'origins', 'set'), tie('v'), { maxKeys: 3 })),
})).v;

const base = () => ({
  gateway: { maxHeaderSize: '16kb', cors: { origins: ['https://a.test'] } },
  auth: { keys: ['k'] },
  clusters: [{ name: 'api', endpoints: [{ url: 'http://127.0.0.1:5000', auth: { key: 'sk-1' } }] }],
  routes: [
    { name: 'r', match: { prefix: '/api' }, cluster: 'api', rewrite: { stripPrefix: true }, request: { headers: { set: { 'x-a': 'b' } } } },
    { match: { prefix: '/' }, static: { root: './public', spa: true } },
  ],
});

const FIELDS: Array<Array<string | number>> = [
  ['gateway', 'maxHeaderSize'], ['gateway', 'trustProxy'], ['gateway', 'cors', 'origins'], ['gateway', 'cors', 'maxAge'], ['gateway', 'unknown'],
  ['auth', 'keys'], ['auth', 'keys', 0], ['healthCheck', 'interval'], ['healthCheck', 'expectedStatus'], ['healthCheck', 'jitter'],
  ['clusters', 0, 'name'], ['clusters', 0, 'balancer'], ['clusters', 0, 'retries'], ['clusters', 0, 'endpoints'],
  ['clusters', 0, 'endpoints', 0, 'url'], ['clusters', 0, 'endpoints', 0, 'weight'], ['clusters', 0, 'endpoints', 0, 'auth'],
  ['clusters', 0, 'endpoints', 0, 'auth', 'key'], ['clusters', 0, 'endpoints', 0, 'rateLimit'], ['clusters', 1],
  ['routes', 0, 'match'], ['routes', 0, 'match', 'prefix'], ['routes', 0, 'match', 'regex'], ['routes', 0, 'match', 'methods'],
  ['routes', 0, 'cluster'], ['routes', 0, 'rewrite'], ['routes', 0, 'request', 'headers', 'set', 'x-a'], ['routes', 0, 'auth'],
  ['routes', 0, 'cors'], ['routes', 0, 'response', 'openapi'], ['routes', 1, 'static'], ['routes', 1, 'static', 'root'], ['routes', 2],
  ['routes'], ['redis'], ['routeCache', 'ttl'],
];

function setIn(doc: Record<string, unknown>, path: Array<string | number>, v: unknown): void {
  let at: Record<string | number, unknown> = doc;
  for (const key of path.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = typeof key === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  }
  at[path[path.length - 1]!] = v;
}

const mutated = fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { minLength: 1, maxLength: 4 }).map((edits) => {
  const doc = base() as unknown as Record<string, unknown>;
  for (const [path, v] of edits) setIn(doc, path, v);
  return stringify(doc);
});
const randomYaml = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('routes: [', 'a: b\na: c\n', '- 1\n- 2', '{', 'routes: !!binary x', '&a [*a]', 'routes:\n  - match: { prefix: /x }\n    cluster: ${X', '\t- x'),
);

function check(source: string): void {
  try {
    parseConfig(source, { SET: 'value' }, '/tmp');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${(err as Error)?.stack ?? String(err)}\n--- source:\n${source}`);
    assert.ok(err.problems.length > 0, 'ConfigError without problems');
    for (const p of err.problems) {
      assert.equal(typeof p.path, 'string');
      assert.equal(typeof p.message, 'string');
      assert.ok(p.message.length > 0);
      // A field problem names its path; only whole-document problems (YAML syntax, shape) have none.
      if (p.path === '') assert.ok(/^YAML|document|must be|expected|object/i.test(p.message) || p.line !== undefined, JSON.stringify(p));
    }
  }
}

test('the base configuration loads (control)', () => {
  assert.doesNotThrow(() => parseConfig(stringify(base()), {}, '/tmp'));
});

// Regression: a YAML alias inside its own anchor made a circular object and interpolation
// recursed until "Maximum call stack size exceeded"; an alias bomb escaped as yaml's
// ReferenceError. `portico validate` crashed with a stack trace instead of naming the problem.
test('self-referencing aliases and alias bombs are ConfigErrors', () => {
  const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]', ''].join('\n');
  for (const source of ['&a [*a]', 'routes: &r\n  - match: { prefix: /x }\n    static: { root: . }\n    x: *r\n', 'gateway: &g { cors: *g }', bomb]) {
    assert.throws(() => parseConfig(source, {}, '/tmp'), ConfigError, source);
    check(source);
  }
  assert.throws(() => parseConfig('routes: &r\n  - x: *r\n', {}, '/tmp'), (err: unknown) => {
    assert.ok(err instanceof ConfigError && err.problems.some((p) => p.path === 'routes[0].x' && /itself/.test(p.message)), String(err));
    return true;
  });
});

test('generated configurations load or fail with ConfigError and field paths', { timeout: 60_000 }, () => {
  let runs = 0;
  let rejected = 0;
  fc.assert(fc.property(fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: randomYaml }), (source) => {
    runs++;
    try { parseConfig(source, { SET: 'value' }, '/tmp'); } catch { rejected++; }
    check(source);
  }), { numRuns: 1_500, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false });
  assert.ok(runs >= 500, `only ${runs} configurations in the time limit`);
  assert.ok(rejected > runs / 10 && rejected < runs, `rejected ${rejected} of ${runs}: the generator is not mixing valid and invalid`);
});

// single-endpoint-router config.yaml -> portico.yaml: the SPEC §1 mapping, checked on the parsed
// result, and the errors for input that is not such a file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../shared/src/config/index.js';
import { ConvertError, convertSingleEndpointRouter } from '../../../shared/src/convert/index.js';

const load = (yaml: string) => parseConfig(yaml, {}, '/srv');

const SAMPLE = `
"http://127.0.0.1:3000":
  cache_timeout: 6000
  endpoints:
    "/get_log_files":
      payload:
        - name: "log_file.log"
          path: "c:/logs"
        - name: "backup_log.log"
          path: "d:/backup/logs"
"http://127.0.0.1:3100":
  cache_timeout: 7200
  endpoints:
    "/archive_logs":
      payload:
        - { source: "c:/logs", compress: yes, n: y }
"http://127.0.0.1:3200":
  cache_timeout: 5
`;

test('single-endpoint-router: payload lists become POST/PUT/PATCH routes to one-endpoint clusters, then a first-success catch-all', () => {
  const { config, warnings } = load(convertSingleEndpointRouter(SAMPLE));
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.routes.map((r) => [r.match.path ?? r.match.prefix, r.match.methods, r.match.payload, r.cluster]), [
    ['/get_log_files', ['POST', 'PUT', 'PATCH'], [{ name: 'log_file.log', path: 'c:/logs' }, { name: 'backup_log.log', path: 'd:/backup/logs' }], '127.0.0.1-3000'],
    // PyYAML read `yes` as true and `y` as a string: so does the converter.
    ['/archive_logs', ['POST', 'PUT', 'PATCH'], [{ source: 'c:/logs', compress: true, n: 'y' }], '127.0.0.1-3100'],
    ['/', undefined, undefined, 'first-success'],
  ]);
  const byName = new Map(config.clusters.map((c) => [c.name, c]));
  assert.deepEqual(byName.get('127.0.0.1-3000')!.endpoints.map((e) => e.url), ['http://127.0.0.1:3000']);
  assert.deepEqual(byName.get('127.0.0.1-3100')!.endpoints.map((e) => e.url), ['http://127.0.0.1:3100']);
  assert.equal(byName.has('127.0.0.1-3200'), false); // no payload routes: only in the fallback
  const fallback = byName.get('first-success')!;
  assert.equal(fallback.balancer, 'first-success');
  assert.deepEqual(fallback.endpoints.map((e) => e.url), ['http://127.0.0.1:3000', 'http://127.0.0.1:3100', 'http://127.0.0.1:3200']);
  assert.equal(config.routeCache.ttl, 7_200_000); // the largest cache_timeout, in ms
});

test('single-endpoint-router: no cache_timeout anywhere leaves routeCache at its default', () => {
  const yaml = convertSingleEndpointRouter('"http://10.0.0.1:1":\n  endpoints: {}\n');
  assert.doesNotMatch(yaml, /^routeCache:/m);
  assert.equal(load(yaml).config.routeCache.ttl, 600_000);
});

test('single-endpoint-router: an endpoint without payloads takes every request to its path; later backends cannot claim it', () => {
  const yaml = convertSingleEndpointRouter(`
"http://10.0.0.1:1":
  endpoints:
    "/ping":
"http://10.0.0.2:1":
  endpoints:
    "/ping": { payload: [ { a: 1 } ] }
    "/reports/monthly summary": { payload: [ { a: 1 } ] }
`);
  const { config, warnings } = load(yaml);
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.routes.map((r) => [r.match.path ?? r.match.prefix, r.match.methods, r.cluster]), [
    ['/ping', undefined, '10.0.0.1-1'],
    ['/reports/monthly%20summary', ['POST', 'PUT', 'PATCH'], '10.0.0.2-1'], // the wire form of the decoded path
    ['/', undefined, 'first-success'],
  ]);
  assert.match(yaml, /\["http:\/\/10\.0\.0\.2:1"\]\.endpoints\["\/ping"\]: "http:\/\/10\.0\.0\.1:1" lists \/ping without payloads/);
});

test('single-endpoint-router: a payload an earlier backend lists for the same path stays with that backend', () => {
  const yaml = convertSingleEndpointRouter(`
"http://10.0.0.1:1":
  endpoints:
    "/jobs": { payload: [ { kind: report, n: 1 } ] }
"http://10.0.0.2:1":
  endpoints:
    "/jobs": { payload: [ { n: 1, kind: report }, { kind: export } ] }
`);
  const { config } = load(yaml);
  assert.deepEqual(config.routes.slice(0, 2).map((r) => [r.cluster, r.match.payload]), [
    ['10.0.0.1-1', [{ kind: 'report', n: 1 }]],
    ['10.0.0.2-1', [{ kind: 'export' }]],
  ]);
  assert.match(yaml, /an earlier backend lists the same payload for \/jobs/);
});

test('single-endpoint-router: the output lists the behaviours deliberately not copied', () => {
  const yaml = convertSingleEndpointRouter(SAMPLE);
  assert.match(yaml, /# Behaviours of single-endpoint-router deliberately not copied:/);
  assert.match(yaml, /Subset payload matching/);
  assert.match(yaml, /Cache keys that ignored payload values/);
  assert.match(yaml, /Query strings: repeated parameters were collapsed/);
});

const errors: Array<[string, string, RegExp]> = [
  ['invalid YAML', '"http://x:1":\n  endpoints: [\n', /^config\.yaml: invalid YAML: /],
  ['a duplicate backend key', '"http://x:1": {}\n"http://x:1": {}\n', /^config\.yaml: invalid YAML: .*[Uu]nique/],
  ['an empty file', '', /^config\.yaml: \(top level\): must be one top-level key per backend URL/],
  ['a list at the top', '- http://x:1\n', /must be one top-level key per backend URL/],
  ['a key that is not a URL', 'backends:\n  endpoints: {}\n', /^config\.yaml: backends: top-level keys must be backend URLs such as "http:\/\/127\.0\.0\.1:3000" \(got "backends"\)/],
  ['endpoints that are a list', '"http://x:1":\n  endpoints: [ /a ]\n', /\["http:\/\/x:1"\]\.endpoints: must be an object \{PATH: \{payload: \[\.\.\.\]\}\} \(got a list\)/],
  ['payload that is not a list', '"http://x:1":\n  endpoints: { /a: { payload: { a: 1 } } }\n', /\.endpoints\["\/a"\]\.payload: must be a list of objects \(got an object\)/],
  ['a payload entry that is not an object', '"http://x:1":\n  endpoints: { /a: { payload: [ 3 ] } }\n', /\.endpoints\["\/a"\]\.payload\[0\]: must be a JSON object \(got 3\)/],
  ['a negative cache_timeout', '"http://x:1":\n  cache_timeout: -1\n', /\.cache_timeout: must be a number of seconds \(got -1\)/],
  ['the same backend twice', '"http://x:1": {}\n"http://x:1/": {}\n', /"http:\/\/x:1\/" is the same backend as "http:\/\/x:1"/],
  ['an env reference in a payload', '"http://x:1":\n  endpoints: { /a: { payload: [ { dir: "${HOME}/logs" } ] } }\n', /payload\[0\]\.dir: "\$\{HOME\}" would be read by Portico as an environment variable reference/],
];
for (const [what, input, message] of errors) {
  test(`single-endpoint-router: error for ${what}`, () => {
    assert.throws(() => convertSingleEndpointRouter(input), (err: unknown) => {
      assert.ok(err instanceof ConvertError);
      assert.match(err.message, message);
      return true;
    });
  });
}

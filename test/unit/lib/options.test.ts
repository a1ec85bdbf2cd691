// Library options are checked once, when compiled: invalid ones throw a TypeError naming the field
// (the way `portico validate` names a configuration field), valid ones compile to the same route
// plan a configured route would get.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRoute, resolveEndpoints, toMs } from '../../../data-plane/src/lib/options.js';
import { HealthChecker, LoadBalancer } from '../../../data-plane/src/lib/index.js';
import { CompiledCluster } from '../../../data-plane/src/state/tables.js';

const cluster = new CompiledCluster({ name: 'c', balancer: 'round-robin', connectTimeoutMs: 1000, timeoutMs: 1000, idleTimeoutMs: 1000, retries: 0, outlierConsecutiveFailures: 5, outlierEjectionTimeMs: 1000, endpoints: [] }, [], Math.random);

test('invalid per-call options throw a TypeError naming the field', () => {
  const cases: Array<[Parameters<typeof compileRoute>[0], RegExp]> = [
    [{ headers: { set: { 'bad name': 'x' } } }, /headers\.set: "bad name" is not a valid header name/],
    [{ headers: { add: { 'x-a': 'one\r\ntwo' } } }, /headers\.add\.x-a must be a string without CR, LF or NUL/],
    [{ headers: { remove: ['a b'] } }, /headers\.remove/],
    [{ method: 'GET /' }, /method must be an HTTP method/],
    [{ prefix: 'api' }, /prefix must start with "\/"/],
  ];
  for (const [options, message] of cases) assert.throws(() => compileRoute(options, cluster, 'r'), (err: unknown) => err instanceof TypeError && message.test(err.message));
  assert.throws(() => compileRoute({ rewrite: { regex: '(' } }, cluster, 'r'), SyntaxError);
});

test('overrides compile to the data plane\'s route plan (lower-cased names, replace flag, own body drops framing)', () => {
  const route = compileRoute({ method: 'post', body: '{}', forwardQuery: false, headers: { set: { 'X-Env': 'prod' }, remove: ['Cookie'], replace: { Accept: '*/*' } }, prefix: '/api', rewrite: { stripPrefix: true } }, cluster, 'r');
  assert.equal(route.methodOverride, 'POST');
  assert.equal(route.bodyOverride, '{}');
  assert.equal(route.forwardQuery, false);
  assert.deepEqual(route.requestHeaders.set, [['x-env', 'prod']]);
  assert.deepEqual([...route.requestHeaders.remove], ['cookie']);
  assert.deepEqual(route.requestHeaders.replace, [['accept', '*/*']]);
  assert.equal(route.requestHeaders.dropBodyFraming, true);
  assert.equal(route.rewrite('/api/v1/x'), '/v1/x');
  assert.equal(route.rewrite('/api'), '/');
  assert.equal(route.keys, undefined, 'no gateway keys: the app does its own auth');
});

test('endpoint lists: default names, duplicates, weights, URLs', () => {
  assert.deepEqual(resolveEndpoints(['http://10.0.0.1:8000/base'], 'e').map((e) => e.name), ['10.0.0.1:8000']);
  assert.throws(() => resolveEndpoints(['http://h:1/a', 'http://h:1/b'], 'endpoints'), /duplicate endpoint name "h:1"/);
  assert.throws(() => resolveEndpoints([{ url: 'http://h:1', weight: 0 }], 'endpoints'), /endpoints\[0\]\.weight/);
  assert.throws(() => resolveEndpoints(['ftp://h'], 'endpoints'), /endpoints\[0\]\.url must be an http\(s\) URL/);
  assert.throws(() => resolveEndpoints(['http://user:pw@h'], 'endpoints'), /credentials/);
  assert.throws(() => resolveEndpoints([], 'endpoints'), /at least one endpoint/);
  assert.throws(() => new LoadBalancer({ endpoints: ['http://h:1'], timeout: 'soon' }), /timeout must be milliseconds or a duration/);
  assert.throws(() => new HealthChecker(['http://h:1'], { expectedStatus: '700' }), /expectedStatus/);
  assert.equal(toMs('1.5s', 0, 'x'), 1500);
  assert.equal(toMs(undefined, 7, 'x'), 7);
});

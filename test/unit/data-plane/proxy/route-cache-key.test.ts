// first-success remembers winners per request key: route, method, path and query, and the body
// compared as canonical JSON. Short body-less keys are kept as they are; the rest are hashed.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { routeCacheKey } from '../../../../data-plane/src/proxy/forward-cluster.js';

const route = { name: 'lookup', methodOverride: undefined, bodyOverride: undefined };
const request = (method: string, path: string, query = '', body?: string) => ({
  req: { method } as IncomingMessage,
  path,
  query,
  body: body === undefined ? undefined : { complete: true as const, body: Buffer.from(body) },
});

test('a short body-less key is the plain route, method, path and query', () => {
  assert.equal(routeCacheKey(request('GET', '/v1/models', 'a=1'), route), 'lookup\nGET\n/v1/models?a=1\n');
  assert.notEqual(routeCacheKey(request('GET', '/v1/models'), route), routeCacheKey(request('HEAD', '/v1/models'), route));
  assert.notEqual(routeCacheKey(request('GET', '/v1/models'), route), routeCacheKey(request('GET', '/v1/models'), { ...route, name: 'other' }));
});

test('a long path or a body gives a bounded digest that cannot equal a plain key', () => {
  const long = routeCacheKey(request('GET', `/${'p'.repeat(500)}`), route);
  assert.match(long, /^[A-Za-z0-9_-]{43}$/);
  const withBody = routeCacheKey(request('POST', '/lookup', '', '{"q":1}'), route);
  assert.match(withBody, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(withBody, routeCacheKey(request('POST', '/lookup', '', '{"q":2}'), route));
});

test('JSON bodies are compared canonically: key order does not matter, values do', () => {
  const a = routeCacheKey(request('POST', '/lookup', '', '{"a":1,"b":[1,2]}'), route);
  assert.equal(a, routeCacheKey(request('POST', '/lookup', '', '{ "b": [1, 2], "a": 1 }'), route));
  assert.notEqual(a, routeCacheKey(request('POST', '/lookup', '', '{"a":1,"b":[2,1]}'), route));
});

test('a route body override is part of the key, like a client body', () => {
  const plain = routeCacheKey(request('POST', '/lookup'), route);
  const overridden = routeCacheKey(request('POST', '/lookup'), { ...route, bodyOverride: '{"fixed":true}' });
  assert.notEqual(plain, overridden);
  assert.match(overridden, /^[A-Za-z0-9_-]{43}$/);
});

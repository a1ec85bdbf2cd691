// compileMatcher: prefix (whole segments), exact path, regex, methods and headers together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileMatcher } from '../../../../data-plane/src/routing/route-matcher.js';
import type { SnapshotRoute } from '../../../../shared/src/snapshot/types.js';

function matcher(match: { prefix?: string; path?: string; regex?: string; methods?: string[]; headers?: Record<string, string> }) {
  const kind = match.prefix !== undefined ? 'prefix' : match.path !== undefined ? 'path' : 'regex';
  return compileMatcher({ match: { methods: [], headers: {}, payloadJson: [], ...match, kind } } as unknown as SnapshotRoute);
}

const cases: Array<[string, ReturnType<typeof matcher>, string, string, Record<string, string>, boolean]> = [
  ['prefix: itself', matcher({ prefix: '/a' }), 'GET', '/a', {}, true],
  ['prefix: a sub-path', matcher({ prefix: '/a' }), 'GET', '/a/b', {}, true],
  ['prefix: not a longer segment', matcher({ prefix: '/a' }), 'GET', '/ab', {}, false],
  ['prefix with trailing slash: the bare path', matcher({ prefix: '/a/' }), 'GET', '/a', {}, true],
  ['prefix with trailing slash: not a longer segment', matcher({ prefix: '/a/' }), 'GET', '/ab', {}, false],
  ['prefix "/" matches everything', matcher({ prefix: '/' }), 'GET', '/anything/at/all', {}, true],
  ['path: exact', matcher({ path: '/x' }), 'GET', '/x', {}, true],
  ['path: not below', matcher({ path: '/x' }), 'GET', '/x/y', {}, false],
  ['regex: match', matcher({ regex: '^/items/\\d+$' }), 'GET', '/items/9', {}, true],
  ['regex: no match', matcher({ regex: '^/items/\\d+$' }), 'GET', '/items/9/x', {}, false],
  ['methods: listed', matcher({ prefix: '/', methods: ['POST'] }), 'POST', '/', {}, true],
  ['methods: not listed', matcher({ prefix: '/', methods: ['POST'] }), 'GET', '/', {}, false],
  ['headers: equal', matcher({ prefix: '/', headers: { 'x-tenant': 'acme' } }), 'GET', '/', { 'x-tenant': 'acme' }, true],
  ['headers: different value', matcher({ prefix: '/', headers: { 'x-tenant': 'acme' } }), 'GET', '/', { 'x-tenant': 'ACME' }, false],
  ['headers: absent', matcher({ prefix: '/', headers: { 'x-tenant': 'acme' } }), 'GET', '/', {}, false],
];

for (const [name, m, method, path, headers, expected] of cases) {
  test(name, () => {
    assert.equal(m.matches(method, path, headers), expected);
  });
}

// parseTarget: the client's request target -> normalised origin-form path and query. The client
// never picks the upstream, and dot segments cannot climb out of a prefix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalisePath, parseTarget } from '../../../../data-plane/src/routing/target.js';

const cases: Array<[raw: string, expected: { path: string; query: string } | undefined]> = [
  ['/', { path: '/', query: '' }],
  ['/a/b?x=1&y=2', { path: '/a/b', query: 'x=1&y=2' }],
  ['/a?', { path: '/a', query: '' }],
  ['/a?b?c', { path: '/a', query: 'b?c' }],
  ['/a#frag', { path: '/a', query: '' }],
  ['/a/', { path: '/a/', query: '' }],
  // absolute-form: the authority is ignored
  ['http://evil.example/x?y=1', { path: '/x', query: 'y=1' }],
  ['HTTPS://evil.example:8443/x', { path: '/x', query: '' }],
  ['http://evil.example', { path: '/', query: '' }],
  ['http://evil.example?q=1', { path: '/', query: 'q=1' }],
  ['http://user:pw@evil.example/p', { path: '/p', query: '' }],
  // network-path and dot segments
  ['//evil.example/x', { path: '/evil.example/x', query: '' }],
  ['/a/../../b', { path: '/b', query: '' }],
  ['/a/./b/../c', { path: '/a/c', query: '' }],
  ['/%2e%2e/%2E%2E/etc/passwd', { path: '/etc/passwd', query: '' }],
  ['/a/%2e/b', { path: '/a/b', query: '' }],
  ['/a\\..\\..\\b', { path: '/b', query: '' }],
  ['/a//b', { path: '/a/b', query: '' }],
  ['/a/b/..', { path: '/a/', query: '' }],
  ['/..', { path: '/', query: '' }],
  ['/a/..?q=../x', { path: '/', query: 'q=../x' }],
  // neither origin-form nor absolute-form
  ['*', undefined],
  ['evil.example:443', undefined],
  ['', undefined],
];

for (const [raw, expected] of cases) {
  test(`parseTarget(${JSON.stringify(raw)})`, () => {
    assert.deepEqual(parseTarget(raw), expected);
  });
}

test('normalisePath never returns a path that does not start with exactly one "/"', () => {
  for (const p of ['/../../..', '//', '/.//./', '/%2e%2e//x', '/\\\\x', '/a/b/../../../../c']) {
    const out = normalisePath(p);
    assert.match(out, /^\/(?!\/)/, `${p} -> ${out}`);
    assert.ok(!out.split('/').includes('..'), `${p} -> ${out}`);
  }
});

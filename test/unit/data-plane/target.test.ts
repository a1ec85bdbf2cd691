// parseTarget / normalisePath: the client's request target -> an origin-form path that cannot
// climb out of a prefix (dots plain or %2e-encoded, backslashes) and never names a host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalisePath, parseTarget } from '../../../data-plane/src/routing/target.js';

const cases: Array<[raw: string, path: string | undefined, query?: string]> = [
  ['/a/b?x=1', '/a/b', 'x=1'],
  ['/a/../b', '/b'],
  ['/a/../../../b', '/b'],
  ['/%2e%2e/%2E%2E/etc', '/etc'],
  ['/a/.%2e/b', '/b'],
  ['/a\\..\\..\\b', '/b'],
  ['/a//b', '/a/b'],
  ['/a/./b/.', '/a/b/'],
  ['/a/b/..', '/a/'],
  ['/a/%2f../b', '/a/%2f../b'],
  ['/a#frag', '/a'],
  ['http://evil.test/x?y=1', '/x', 'y=1'],
  ['https://user:pw@evil.test:8443/a/../b', '/b'],
  ['http://evil.test', '/'],
  ['http://evil.test?q', '/', 'q'],
  ['*', undefined],
  ['evil.test:443', undefined],
  ['', undefined],
];

for (const [raw, path, query] of cases) {
  test(`parseTarget(${JSON.stringify(raw)})`, () => {
    const got = parseTarget(raw);
    if (path === undefined) return assert.equal(got, undefined);
    assert.equal(got?.path, path);
    if (query !== undefined) assert.equal(got?.query, query);
    assert.ok(got!.path.startsWith('/') && !got!.path.startsWith('//'));
  });
}

test('normalisePath output has no dot segments left, whatever the input', () => {
  const parts = ['..', '.', '%2e%2e', '%2E.', 'a', '', '\\', 'b%2e'];
  for (let i = 0; i < 2000; i++) {
    let n = i;
    const segs: string[] = [];
    for (let k = 0; k < 5; k++) { segs.push(parts[n % parts.length]!); n = Math.floor(n / parts.length); }
    const out = normalisePath(`/${segs.join('/')}`);
    assert.ok(out.startsWith('/'), out);
    assert.ok(!out.split('/').some((s) => s === '..' || s === '.'), `${segs.join('/')} -> ${out}`);
    assert.ok(!/%2e%2e/i.test(out), out);
  }
});

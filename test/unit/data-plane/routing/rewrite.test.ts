// compileRewrite: stripPrefix (the bare prefix -> "/") and regex rewrites; results are always
// origin-form with a single leading "/".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRewrite } from '../../../../data-plane/src/routing/rewrite.js';
import type { SnapshotRoute } from '../../../../shared/src/snapshot/types.js';

function route(match: { prefix?: string; path?: string; regex?: string }, rewrite: { stripPrefix?: boolean; regex?: string; replacement?: string } | null): SnapshotRoute {
  const kind = match.prefix !== undefined ? 'prefix' : match.path !== undefined ? 'path' : 'regex';
  return {
    match: { ...match, kind, methods: [], headers: {}, payloadJson: [] },
    rewrite: rewrite ? { stripPrefix: rewrite.stripPrefix ?? false, regex: rewrite.regex ?? '', replacement: rewrite.replacement ?? '' } : null,
  } as unknown as SnapshotRoute;
}

const cases: Array<{ name: string; route: SnapshotRoute; path: string; expected: string }> = [
  { name: 'stripPrefix below the prefix', route: route({ prefix: '/svc/model' }, { stripPrefix: true }), path: '/svc/model/v1/x', expected: '/v1/x' },
  { name: 'stripPrefix on the bare prefix', route: route({ prefix: '/svc/model' }, { stripPrefix: true }), path: '/svc/model', expected: '/' },
  { name: 'stripPrefix on prefix + "/"', route: route({ prefix: '/svc' }, { stripPrefix: true }), path: '/svc/', expected: '/' },
  { name: 'stripPrefix with a trailing-slash prefix', route: route({ prefix: '/svc/' }, { stripPrefix: true }), path: '/svc/a', expected: '/a' },
  { name: 'stripPrefix with a trailing-slash prefix, bare', route: route({ prefix: '/svc/' }, { stripPrefix: true }), path: '/svc', expected: '/' },
  { name: 'stripPrefix of "/" changes nothing', route: route({ prefix: '/' }, { stripPrefix: true }), path: '/a/b', expected: '/a/b' },
  { name: 'stripPrefix never yields "//"', route: route({ prefix: '/svc' }, { stripPrefix: true }), path: '/svc//evil/x', expected: '/evil/x' },
  { name: 'regex with groups', route: route({ prefix: '/api' }, { regex: '^/api/v(\\d+)/(.*)$', replacement: '/version-$1/$2' }), path: '/api/v2/users', expected: '/version-2/users' },
  { name: 'regex to an empty string gives "/"', route: route({ prefix: '/api' }, { regex: '^/api$', replacement: '' }), path: '/api', expected: '/' },
  { name: 'regex without a leading "/" gets one', route: route({ prefix: '/api' }, { regex: '^/api/', replacement: '' }), path: '/api/x', expected: '/x' },
  { name: 'regex producing "//host" is folded', route: route({ prefix: '/api' }, { regex: '^/api', replacement: '/' }), path: '/api/evil/x', expected: '/evil/x' },
  { name: 'regex that does not match', route: route({ prefix: '/api' }, { regex: '^/nope', replacement: '/x' }), path: '/api/y', expected: '/api/y' },
  { name: 'no rewrite', route: route({ prefix: '/api' }, null), path: '/api/y', expected: '/api/y' },
];

for (const c of cases) {
  test(c.name, () => {
    assert.equal(compileRewrite(c.route)(c.path), c.expected);
  });
}

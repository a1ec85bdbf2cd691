// The committed wire types in shared/src/generated are what `make proto` makes from proto/ now:
// a proto edit without regenerating fails here, not in a data plane.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/paths.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test('shared/src/generated matches proto/', () => {
  const out = mkdtempSync(join(tmpdir(), 'portico-proto-'));
  execFileSync('make', ['-s', 'proto', `PROTO_GEN=${out}`], { cwd: REPO_ROOT, stdio: 'pipe' });
  const committed = join(REPO_ROOT, 'shared/src/generated');
  const expected = files(out).map((f) => relative(out, f)).sort();
  assert.deepEqual(files(committed).map((f) => relative(committed, f)).sort(), expected);
  for (const f of expected) assert.equal(readFileSync(join(committed, f), 'utf8'), readFileSync(join(out, f), 'utf8'), f);
});

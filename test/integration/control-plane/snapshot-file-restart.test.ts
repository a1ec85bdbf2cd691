// --snapshot-file: a data plane restarted while the control plane is down serves from the saved
// snapshot.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { hit, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

test('--snapshot-file: serves after a restart with the control plane down', async (t) => {
  const a = await startBackend(t, 'a');
  const file = join(mkdtempSync(join(tmpdir(), 'portico-snap-')), 'snapshot.bin');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a]) });
  const dp1 = await startDataPlane(t, ['--control-plane', cp.grpc, '--snapshot-file', file]);
  assert.equal((await hit(dp1.url, '/x')).status, 200);
  await waitFor(() => existsSync(file) || undefined, 'snapshot file written');
  assert.equal(await dp1.stop(), 0);
  cp.proc.kill('SIGKILL');
  await cp.exited;

  const dp2 = await startDataPlane(t, ['--control-plane', cp.grpc, '--snapshot-file', file]);
  assert.deepEqual(await hit(dp2.url, '/x'), { status: 200, name: 'a' });
  await waitFor(() => dp2.logs().some((l) => l.msg === 'serving the saved snapshot until the control plane answers') || undefined, 'saved snapshot served');
  assert.ok(!dp2.logs().some((l) => l.msg === 'watching control plane'), 'the control plane really was down');
});

test('--snapshot-file: without the file and without a control plane the data plane is not ready', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-snap-')), 'absent.bin');
  const dp = await startDataPlane(t, ['--control-plane', '127.0.0.1:1', '--snapshot-file', file], { ready: false });
  assert.equal((await fetch(`${dp.adminUrl}/readyz`)).status, 503);
});

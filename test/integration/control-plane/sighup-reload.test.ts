// SIGHUP re-reads the configuration (SPEC §5) and does nothing else: the process keeps serving.
// (It used to start a graceful shutdown as well: close-with-grace listens to SIGHUP by default.)
// A data plane has no configuration to re-read: SIGHUP still drains it, as SIGTERM does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { controlPlaneStatus, hit, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { startBackend } from './backends.js';

test('SIGHUP reloads the configuration and the gateway keeps serving', async (t) => {
  const b = await startBackend(t, 'b');
  const gw = await startGateway(t, `
clusters:
  - name: c
    endpoints: [{ url: "${b.url}", name: b }]
routes:
  - { match: { prefix: / }, cluster: c }
`);
  assert.equal((await hit(gw.url, '/x')).status, 200);

  gw.proc.kill('SIGHUP');
  await waitFor(() => gw.logs().some((l) => l.msg === 'SIGHUP: re-reading configuration') || undefined, 'the reload log line');
  // Longer than the 2 s drain timeout the gateway was started with: a shutdown would be over.
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal((await hit(gw.url, '/x')).status, 200, 'still serving');
  assert.equal(gw.proc.exitCode, null, 'still running');
  assert.ok(!gw.logs().some((l) => l.msg === 'draining'), 'no shutdown started');
});

test('SIGHUP: the control plane reloads and stays up; a data plane drains and exits', async (t) => {
  const b = await startBackend(t, 'b');
  const cp = await startControlPlane(t, { yaml: `
clusters:
  - name: c
    endpoints: [{ url: "${b.url}", name: b }]
routes:
  - { match: { prefix: / }, cluster: c }
` });
  const dp = await startDataPlane(t, ['--control-plane', cp.grpc]);
  assert.equal((await hit(dp.url, '/x')).status, 200);

  cp.proc.kill('SIGHUP');
  await waitFor(() => cp.logs().some((l) => l.msg === 'SIGHUP: re-reading configuration') || undefined, 'the reload log line');
  dp.proc.kill('SIGHUP');
  assert.equal(await dp.exited, 0, 'the data plane drained and exited cleanly');
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal(cp.proc.exitCode, null, 'the control plane is still running');
  assert.ok(!cp.logs().some((l) => l.msg === 'draining'), 'no shutdown started');
  assert.equal((await controlPlaneStatus(cp.adminUrl)).clusters[0]!.name, 'c');
});

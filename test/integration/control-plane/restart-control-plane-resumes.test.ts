// After the control plane is killed and started again (a new run id, versions from 1), the data
// plane accepts its snapshots and follows its configuration.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { hit, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

test('control plane restart: the data plane resumes updates from the new run', async (t) => {
  const a = await startBackend(t, 'a');
  const yaml = clusterYaml([a]).replace('prefix: /', 'prefix: /one');
  const cp1 = await startControlPlane(t, { yaml });
  const dp = await startDataPlane(t, ['--control-plane', cp1.grpc, '--id', 'dp-1']);
  assert.equal((await hit(dp.url, '/one')).status, 200);
  assert.equal((await hit(dp.url, '/two')).status, 404);
  const installed = () => dp.logs().filter((l) => l.msg === 'snapshot installed');
  // Log lines are buffered (up to 4 KiB to a pipe, 32 KiB to a file, or 200 ms): the route can work before its line is out.
  const firstRun = await waitFor(() => installed().at(-1)?.runId as string | undefined, 'snapshot installed line from the first run', 5_000);

  cp1.proc.kill('SIGKILL');
  await cp1.exited;
  writeFileSync(cp1.configPath, `${yaml}
  - name: two
    match: { prefix: /two }
    cluster: c
`);
  // Same gRPC address: the data plane's --control-plane does not change.
  const cp2 = await startControlPlane(t, { configPath: cp1.configPath, grpc: cp1.grpc });

  await waitFor(async () => (await hit(dp.url, '/two')).status === 200 || undefined, 'route from the restarted control plane', 15_000);
  const runs = await waitFor(() => {
    const seen = new Set(installed().map((l) => String(l.runId)));
    return seen.size === 2 ? seen : undefined;
  }, 'snapshot installed lines from two runs', 5_000);
  assert.ok(runs.has(firstRun), `snapshots from two runs: ${[...runs].join(', ')}`);
  const fromNewRun = installed().filter((l) => l.runId !== firstRun);
  assert.ok(fromNewRun.some((l) => Number(l.version) <= 3), 'a low version from the new run was accepted');
  assert.ok(cp2.grpc === cp1.grpc);
});

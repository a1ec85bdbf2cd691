// Killing the control plane (SIGKILL, mid-load) loses no request on the data planes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

test('control plane killed under load: every data-plane request still succeeds', async (t) => {
  const a = await startBackend(t, 'a');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a]) });
  const planes = await Promise.all([1, 2].map((i) => startDataPlane(t, ['--control-plane', cp.grpc, '--id', `dp-${i}`])));

  const statuses = new Map<number, number>();
  let sent = 0;
  let stop = false;
  const deadline = Date.now() + 15_000;
  const worker = async (url: string) => {
    while (!stop && Date.now() < deadline && sent < 5_000) {
      sent++;
      const res = await fetch(`${url}/load`).catch(() => undefined);
      const code = res ? res.status : 0;
      if (res) await res.arrayBuffer();
      statuses.set(code, (statuses.get(code) ?? 0) + 1);
    }
  };
  const load = Promise.all(planes.flatMap((dp) => [worker(dp.url), worker(dp.url)]));

  await waitFor(() => sent > 50 || undefined, 'load running');
  cp.proc.kill('SIGKILL');
  await cp.exited;
  const atKill = sent;
  // Keep loading for a while with the control plane gone (reconnect attempts run meanwhile).
  await waitFor(() => sent > atKill + 300 || undefined, 'load after the kill', 10_000);
  stop = true;
  await load;

  t.diagnostic(`requests: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.deepEqual([...statuses.keys()], [200], 'every request answered 200');
  for (const dp of planes) assert.equal((await fetch(`${dp.adminUrl}/readyz`)).status, 200, 'still ready on the last snapshot');
  await waitFor(() => planes.every((dp) => dp.logs().some((l) => l.msg === 'control plane stream lost; serving the last snapshot')) || undefined, 'each data plane noticed the loss');
});

// `portico all` in a terminal (human-readable logs) whose terminal goes away: the hangup is a
// SIGHUP (reload), writes to the dead terminal fail with EIO, and the gateway must keep serving
// and still stop on SIGTERM. It used to stop answering and then spin at 100% CPU for good:
// close-with-grace took the SIGHUP for a shutdown, and its listeners for fault signals (SIGSEGV)
// turned a fault during that exit into an endless signal storm.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { writeConfig } from '../../helpers/gateway.js';
import { PORTICO_BIN } from '../../helpers/paths.js';
import { closedPort, echo, startUpstream } from '../../helpers/upstream.js';

/** [state, ppid] of a process, or undefined once it is gone. */
function procStat(pid: number): [string, number] | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return [fields[0]!, Number(fields[1])];
  } catch {
    return undefined;
  }
}

const childOf = (parent: number): number | undefined =>
  readdirSync('/proc').map(Number).find((pid) => pid > 0 && procStat(pid)?.[1] === parent);

const health = async (url: string) => {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
};

test('when its terminal goes away the gateway keeps serving, and SIGTERM still stops it', async (t) => {
  const b = await startUpstream(t, echo('b'));
  const [port, admin] = [await closedPort(), await closedPort()];
  const config = writeConfig(`
clusters:
  - name: c
    endpoints: [{ url: "${b.url}" }]
routes:
  - { match: { prefix: / }, cluster: c }
`);
  const command = [process.execPath, PORTICO_BIN, 'all', '-c', config, '--listen', `127.0.0.1:${port}`, '--admin', `127.0.0.1:${admin}`, '--grpc', '127.0.0.1:0']
    .map((a) => `'${a}'`).join(' ');
  // script(1) gives the gateway a terminal (so its logs are pretty-printed) that we can take away.
  const terminal = spawn('script', ['-qfc', `exec ${command}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
  terminal.stdout.resume();
  const url = `http://127.0.0.1:${port}`;
  const gateway = await waitFor(() => childOf(terminal.pid!), 'the gateway process');
  t.after(() => {
    if (procStat(gateway) !== undefined) process.kill(gateway, 'SIGKILL');
  });
  await waitFor(async () => (await health(url)) === 200 || undefined, 'serving in a terminal');

  terminal.kill('SIGKILL'); // the terminal closes: hangup, then EIO on every write to it
  await new Promise((r) => setTimeout(r, 1_000));
  assert.equal(await health(url), 200, 'still serving after the hangup');
  assert.equal(await health(url), 200, 'and after logging to the dead terminal');

  process.kill(gateway, 'SIGTERM');
  await waitFor(() => {
    const stat = procStat(gateway);
    return stat === undefined || stat[0] === 'Z' || undefined;
  }, 'the gateway exits on SIGTERM', 8_000, 100);
});

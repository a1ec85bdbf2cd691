// Child processes of the benchmark: spawned pinned to a CPU, tracked by PID, and killed only by
// PID (never by name), including on errors and signals.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';

/** CPU layout on a 2-core machine: the proxy gets one core, load generator + backend the other. */
export const PROXY_CPU = 0;
export const LOAD_CPU = 1;

const live = new Set<ChildProcess>();
let pinning = true;

/** Turns CPU pinning off for every later start() (no taskset, or a single CPU). */
export function disablePinning(): void {
  pinning = false;
}

let tasksetFound: boolean | null = null;
export function hasTaskset(): boolean {
  tasksetFound ??= spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  return tasksetFound;
}

/** Pins this process (all its threads) to a CPU; returns false if taskset is missing or refused. */
export function pinSelf(cpu: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

export interface SpawnOptions {
  cpu: number | null;
  /** File that receives stdout+stderr; when absent stdout is piped (for ready lines) and stderr inherited to a buffer. */
  logFile?: string;
  cwd?: string;
  env?: Record<string, string>;
}

export function start(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  const [file, argv] = opts.cpu === null || !pinning || !hasTaskset() ? [cmd, args] : ['taskset', ['-c', String(opts.cpu), cmd, ...args]];
  let stdio: StdioOptions = ['ignore', 'pipe', 'pipe'];
  if (opts.logFile !== undefined) {
    const fd = openSync(opts.logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  // taskset execs the command, so the child's PID is the proxy's own PID.
  const child = spawn(file, argv, { stdio, cwd: opts.cwd, env: opts.env ? { ...process.env, ...opts.env } : process.env });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Resolves with the first stdout line parsed as JSON; rejects on exit or after timeoutMs. */
export function readyLine<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => finish(new Error(`no ready line within ${timeoutMs} ms; stderr: ${err.slice(-500)}`)), timeoutMs);
    const onExit = (code: number | null, sig: string | null): void =>
      finish(new Error(`exited (code ${code}, signal ${sig}) before it was ready; stderr: ${err.slice(-500)}`));
    const finish = (e: Error | null, v?: T): void => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout?.removeAllListeners('data');
      if (e) reject(e);
      else resolve(v as T);
    };
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      try {
        finish(null, JSON.parse(out.slice(0, nl)) as T);
      } catch (e) {
        finish(e as Error);
      }
    });
    child.once('exit', onExit);
  });
}

/** A free loopback port (bound then released; the tiny race is acceptable for a benchmark). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // process vanished while listing
    }
  }
  return out;
}

/** The PID and all its descendants (Portico workers, NGINX workers). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length && all.length < 256; i++) all.push(...childrenOf(all[i] as number));
  return all;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of the process tree, in bytes. */
export function treeRss(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKb(p, 'VmRSS'), 0) * 1024;
}

/** Peak resident memory (VmHWM) summed over the tree, in bytes. */
export function treeHwm(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKb(p, 'VmHWM'), 0) * 1024;
}

/** Resets VmHWM to the current RSS (Linux clear_refs "5"); false when not permitted. */
export function resetHwm(pid: number): boolean {
  let ok = true;
  for (const p of processTree(pid)) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the child, wait up to graceMs, then SIGKILL it and any descendants still alive. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const tree = processTree(pid);
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + graceMs;
    while (alive(pid) && child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(50);
  }
  for (const p of tree) {
    if (alive(p)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  live.delete(child);
}

/** Synchronous last resort on process exit: SIGKILL every child still tracked. */
export function killAllTracked(): void {
  for (const child of live) {
    if (child.pid === undefined) continue;
    for (const p of processTree(child.pid)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  live.clear();
}

/** Runs a command to completion with a hard timeout; returns stdout (throws on failure). */
export function runBounded(cmd: string, args: string[], cpu: number | null, timeoutMs: number, env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = start(cmd, args, env ? { cpu, env } : { cpu });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => {
      void stop(child, 500);
      reject(new Error(`${cmd} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} exited with ${code}: ${err.slice(-500)}`));
    });
  });
}

// `make bench`: measures direct-to-backend, Portico, NGINX and @fastify/http-proxy in one run and
// writes docs/benchmarks.md. Environment (all optional):
//   BENCH_DURATION   seconds per load phase (default 6; 2 for a smoke run)
//   BENCH_ROUNDS     interleaved rounds of the 1 KiB and fixed-rate phases (default 5; the median counts)
//   BENCH_UPLOAD_MB  upload size in MiB (default 1024)
//   BENCH_SSE_COUNT  sequential SSE connections (default 200)
//   BENCH_SUBJECTS   comma list to run a subset, e.g. "direct,portico" (default: all of
//                    direct,portico,nginx,fastify,minimal)
//   BENCH_DOCS=0     do not write docs/benchmarks.md (the console table is always printed)
//   BENCH_PORTICO_LOG_LEVEL  Portico's --log-level (default info: the access log is part of what is measured)
//   BENCH_QUIET_WAIT seconds to wait at most for other processes to leave the CPUs (default 60)
// Every phase is bounded in time; children are killed by PID on success, error and signals.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { LOAD_CPU, disablePinning, hasTaskset, killAllTracked, pinSelf, stop } from './procs.js';
import { sseTtfe, upload } from './probes.js';
import { markdown, ratios, rounds as roundsTable, table, targets, type RunInfo, type SubjectResult } from './report.js';
import { medianBy } from './stats.js';
import { MINIMAL, ROOT, direct, porticoNodeFlags, startBackend, startFastify, startMinimal, startNginx, startPortico, tail, type Subject } from './subjects.js';
import { FIXED_RATE_LUA, wrk } from './wrk.js';

const env = process.env;
const SECONDS = Math.max(1, Math.round(Number(env.BENCH_DURATION ?? 6)));
const UPLOAD_BYTES = Math.max(1, Number(env.BENCH_UPLOAD_MB ?? 1024)) * 1024 * 1024;
const ROUNDS = Math.max(1, Math.round(Number(env.BENCH_ROUNDS ?? 5)));
const SSE_COUNT = Math.max(10, Number(env.BENCH_SSE_COUNT ?? 200));
const CONNECTIONS = 50;
const LARGE_CONNECTIONS = 10;
/** Unmeasured load before every measured round (see rounds()). */
const ROUND_WARM_UP_S = 1;
const WANTED = (env.BENCH_SUBJECTS ?? 'direct,portico,nginx,fastify,minimal').split(',').map((s) => s.trim());
const WRITE_DOCS = env.BENCH_DOCS !== '0';
/** Hard ceiling for the whole run; a hang anywhere ends it with the children killed. */
const WATCHDOG_MS = 20 * 60_000;
const QUIET_WAIT_MS = Math.max(0, Number(env.BENCH_QUIET_WAIT ?? 60)) * 1000;
const QUIET_SHARE = 0.1;
const COMMAND_VARS = ['BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_UPLOAD_MB', 'BENCH_SSE_COUNT', 'BENCH_SUBJECTS', 'BENCH_PORTICO_LOG_LEVEL'];

const log = (msg: string): void => {
  process.stdout.write(`[bench] ${msg}\n`);
};
const MiB = 1024 * 1024;

function version(cmd: string, args: string[]): string {
  // nginx -v prints to stderr; wrk -v exits 1: take the first line of either stream.
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]?.trim() || `${cmd} (version unknown)`;
}

let clkTck = 0;
function ticksPerSecond(): number {
  clkTck ||= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  return clkTck;
}

/** user + nice + system clock ticks of the whole machine (/proc/stat). */
function machineTicks(): number {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  return (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0);
}

/** This process's ticks plus those of its reaped children (wrk, backend, proxies and their workers). */
function ownTicks(): number {
  const st = readFileSync('/proc/self/stat', 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ').map(Number);
  // fields 14-17 of stat: utime stime cutime cstime (f[0] is field 3)
  return (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0);
}

function alive(s: Subject): string | null {
  if (s.pid === null) return null;
  try {
    process.kill(s.pid, 0);
    return null;
  } catch {
    return `process ${s.pid} is gone${s.logFile ? `; log tail:\n${tail(s.logFile, 1500)}` : ''}`;
  }
}

/** Runs one measurement, recording an error note instead of throwing; skips failed subjects. */
async function measure<T>(r: SubjectResult, s: Subject, what: string, fn: () => Promise<T>): Promise<T | null> {
  if (r.failed !== null) return null;
  const dead = alive(s);
  if (dead !== null) {
    r.failed = `died before ${what}: ${dead}`;
    log(`${r.name}: ${r.failed}`);
    return null;
  }
  try {
    return await fn();
  } catch (e) {
    const msg = `${what}: ${(e as Error).message}`;
    r.notes.push(msg);
    log(`${r.name}: FAILED ${msg}`);
    const after = alive(s);
    if (after !== null) r.failed = `died during ${what}: ${after}`;
    return null;
  }
}

/** One subject's rounds of a phase: the median round by the phase's measure, and each round's value. */
interface Rounds<T> {
  median: T | undefined;
  each: number[];
}

/**
 * A short warm-up run of `fn` per subject, then ROUNDS rounds interleaved over the subjects:
 * per subject, the round with the median `by` and every round's `by` (failed rounds left out).
 *
 * Each round is preceded by ROUND_WARM_UP_S of the same load, not measured. Interleaving leaves
 * each subject idle for the other subjects' rounds (24 s with five subjects); on this VM a Node
 * subject's first ~0.5 s after such a pause ran saturated, and a round that began cold had its
 * p99 at 5-12 ms where the same process, warm, measured 1.6-2.5 ms (Portico and node:http +
 * undici alike; NGINX and direct did not show it; bench notes, issue 2). The target is the
 * steady state, so every subject gets the same second to reach it.
 */
async function rounds<T>(subjects: Array<[Subject, SubjectResult]>, what: string, fn: (s: Subject, seconds: number) => Promise<T>, by: (result: T) => number): Promise<Map<SubjectResult, Rounds<T>>> {
  for (const [s, r] of subjects) await measure(r, s, `${what} warm-up`, () => fn(s, Math.min(2, SECONDS)));
  const all = new Map<SubjectResult, T[]>(subjects.map(([, r]) => [r, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [s, r] of subjects) {
      await measure(r, s, `${what} round ${round} warm-up`, () => fn(s, ROUND_WARM_UP_S));
      const result = await measure(r, s, `${what} round ${round}`, () => fn(s, SECONDS));
      if (result !== null) all.get(r)!.push(result);
    }
  }
  return new Map([...all].map(([r, results]) => [r, { median: medianBy(results, by), each: results.map(by) }]));
}

function porticoLogSummary(file: string | null): string[] {
  if (file === null) return [];
  const out: string[] = [];
  try {
    const size = statSync(file).size;
    const fd = readFileSync(file, 'utf8');
    const lines = fd.split('\n');
    let warn = 0;
    for (const line of lines) {
      const m = /"level":(\d+)/.exec(line);
      const level = m ? Number(m[1]) : /error|warn|exception/i.test(line) ? 40 : 0;
      if (level >= 40) {
        warn++;
        if (out.length < 15) out.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      }
    }
    if (warn > out.length) out.push(`… ${warn - out.length} more warning/error lines`);
    log(`portico log: ${lines.length - 1} lines, ${(size / MiB).toFixed(1)} MiB, ${warn} at warn level or above`);
  } catch {
    // no log
  }
  return out;
}

/** Share of the machine's CPU used by others over the next `ms` (this process is idle meanwhile). */
async function busyShare(ms: number, nproc: number): Promise<number> {
  const ticksPerSec = ticksPerSecond();
  const [m0, o0] = [machineTicks(), ownTicks()];
  await new Promise((r) => setTimeout(r, ms));
  return Math.max(0, machineTicks() - m0 - (ownTicks() - o0)) / ticksPerSec / ((ms / 1000) * nproc);
}

/** Waits (bounded) until other processes use less than QUIET_SHARE of the machine. */
async function waitForQuiet(nproc: number): Promise<void> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  for (;;) {
    const share = await busyShare(2000, nproc);
    if (share < QUIET_SHARE) return;
    if (Date.now() >= deadline) {
      log(`machine still busy (${(share * 100).toFixed(0)}% CPU used by other processes): measuring anyway; the report says so`);
      return;
    }
    log(`other processes use ${(share * 100).toFixed(0)}% of the CPUs; waiting for quiet (at most ${Math.round((deadline - Date.now()) / 1000)} s more)`);
  }
}

async function main(): Promise<number> {
  const nproc = os.availableParallelism(); // before pinning, which narrows it to 1
  if (QUIET_WAIT_MS > 0) await waitForQuiet(nproc);
  const t0 = { wall: Date.now(), machine: machineTicks(), own: ownTicks() };
  const pinned = hasTaskset() && pinSelf(LOAD_CPU) && os.cpus().length >= 2;
  if (!pinned) disablePinning();
  if (!pinned) log('WARNING: not pinning to CPUs (taskset missing, refused, or a single CPU)');
  else log('pinned: proxies on CPU 0; wrk, SSE/upload client (this process) and backend on CPU 1');
  for (const tool of ['wrk']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is not installed (make system-deps installs it)`);
    }
  }

  const dir = mkdtempSync(join(os.tmpdir(), 'portico-bench-'));
  const started: Subject[] = [];
  let backend: Awaited<ReturnType<typeof startBackend>> | null = null;
  const results: SubjectResult[] = [];
  let rate = 0;
  let rateBasis = '';
  let porticoLog: string[] = [];
  try {
    backend = await startBackend(pinned ? LOAD_CPU : null);
    log(`backend on ${backend.origin}`);
    const origin = backend.origin;

    const starters: Array<[string, string, () => Promise<Subject>]> = [
      ['direct', 'direct', async () => direct(origin)],
      ['portico', 'portico', () => startPortico(origin, dir, env.BENCH_PORTICO_LOG_LEVEL ?? 'info')],
      // Right after Portico, so the paired ratio of each round compares neighbours in time.
      ['fastify', '@fastify/http-proxy', () => startFastify(origin)],
      ['nginx', 'nginx', () => startNginx(origin, dir)],
      ['minimal', MINIMAL, () => startMinimal(origin)],
    ];
    const subjects: Array<[Subject, SubjectResult]> = [];
    for (const [key, name, startFn] of starters) {
      if (!WANTED.includes(key)) continue;
      const r: SubjectResult = { name, failed: null, small: null, smallRounds: [], large: null, largeRounds: [], rate: null, rateRounds: [], sse: null, upload: null, notes: [] };
      results.push(r);
      try {
        const s = await startFn();
        started.push(s);
        subjects.push([s, r]);
        log(`${name} ready on ${s.origin}${s.pid !== null ? ` (pid ${s.pid})` : ''}`);
      } catch (e) {
        r.failed = `did not start: ${(e as Error).message}`;
        log(`${name}: ${r.failed}`);
      }
    }

    // 1. Upload first, while each proxy is idle, so its idle RSS is its start-up footprint.
    for (const [s, r] of subjects) {
      log(`${r.name}: ${UPLOAD_BYTES / MiB} MiB upload`);
      r.upload = await measure(r, s, 'upload', () => upload(`${s.origin}/upload`, UPLOAD_BYTES, s.pid, 180_000));
      if (r.upload) {
        const u = r.upload;
        log(`${r.name}: upload ${u.seconds.toFixed(1)} s, ${u.detail}, RSS ${(u.idleRss / MiB).toFixed(0)} → ${(Math.max(u.peakRss, u.hwm ?? 0) / MiB).toFixed(0)} MiB`);
      }
    }

    // 2. Maximum rate, 1 KiB responses (after a short warm-up run). Rounds are interleaved across
    // the subjects and the median round counts: a burst of foreign load on this shared machine then
    // disturbs one round of every subject rather than all of one subject's measurement.
    const small = (s: Subject, seconds: number) => wrk({ url: `${s.origin}/1k`, connections: CONNECTIONS, seconds });
    for (const [r, { median, each }] of await rounds(subjects, '1 KiB', small, (w) => w.rps)) {
      r.small = median ?? null;
      r.smallRounds = each;
      if (median) log(`${r.name}: 1 KiB ${median.rps.toFixed(0)} req/s (median of ${each.map((x) => x.toFixed(0)).join(', ')}), p99 ${median.latencyMs.p99} ms, errors ${median.errors}`);
    }

    // 3. 1 MiB responses, warmed up and interleaved like the 1 KiB phase: on this VM a Node proxy's
    // first seconds of 1 MiB traffic ran at a fraction of its later rate (Portico 216, 472, 868,
    // 1,180 req/s in four 3 s runs back to back), so one cold run ranked subjects by running order.
    const large = (s: Subject, seconds: number) => wrk({ url: `${s.origin}/1m`, connections: LARGE_CONNECTIONS, seconds });
    for (const [r, { median, each }] of await rounds(subjects, '1 MiB', large, (w) => w.rps)) {
      r.large = median ?? null;
      r.largeRounds = each;
      if (median) log(`${r.name}: 1 MiB ${median.rps.toFixed(0)} req/s, ${(median.transferPerSec / MiB).toFixed(0)} MiB/s (median of ${each.map((x) => x.toFixed(0)).join(', ')})`);
    }

    // 4. p99 at a fixed rate: half of Portico's maximum (or of the slowest proxy if Portico failed).
    const portico = results.find((r) => r.name === 'portico');
    if (portico?.small) {
      rate = Math.round(portico.small.rps / 2);
      rateBasis = "half of Portico's 1 KiB maximum";
    } else {
      const proxies = results.filter((r) => r.name !== 'direct' && r.small).map((r) => r.small?.rps ?? Infinity);
      const base = proxies.length ? Math.min(...proxies) : (results.find((r) => r.small)?.small?.rps ?? 2000);
      rate = Math.round(base / 2);
      rateBasis = 'Portico had no result: half of the slowest measured maximum';
    }
    const script = join(dir, 'fixed-rate.lua');
    writeFileSync(script, FIXED_RATE_LUA);
    const rateEnv = { BENCH_DELAY_MS: String((CONNECTIONS * 1000) / Math.max(1, rate)) };
    const fixed = (s: Subject, seconds: number) => wrk({ url: `${s.origin}/1k`, connections: CONNECTIONS, script, env: rateEnv, seconds });
    for (const [r, { median: w, each }] of await rounds(subjects, 'fixed rate', fixed, (x) => x.latencyMs.p99)) {
      r.rateRounds = each;
      if (w) {
        r.rate = { target: rate, wrk: w };
        log(`${r.name}: ~${rate} req/s (reached ${w.rps.toFixed(0)}): p50 ${w.latencyMs.p50.toFixed(2)} p99 ${w.latencyMs.p99.toFixed(2)} ms (median of ${each.map((p) => p.toFixed(2)).join(', ')}), errors ${w.errors}`);
      }
    }

    // 5. SSE time to first event.
    for (const [s, r] of subjects) {
      r.sse = await measure(r, s, 'SSE', () => sseTtfe(`${s.origin}/sse`, SSE_COUNT, 30_000));
      if (r.sse) log(`${r.name}: SSE first event median ${r.sse.medianMs.toFixed(3)} p99 ${r.sse.p99Ms.toFixed(3)} ms (${r.sse.samples} ok, ${r.sse.failures} failed)`);
    }

    for (const [s, r] of subjects) {
      const dead = alive(s);
      if (dead !== null && r.failed === null) r.failed = `exited during the run: ${dead}`;
    }
  } finally {
    for (const s of started) await s.stop().catch(() => undefined);
    if (backend) await stop(backend.child);
    porticoLog = porticoLogSummary(started.find((s) => s.name === 'portico')?.logFile ?? null);
    rmSync(dir, { recursive: true, force: true });
  }

  // CPU used by processes that are not ours during the run (others' builds and tests disturb it).
  const ticksPerSec = ticksPerSecond();
  const foreign = Math.max(0, machineTicks() - t0.machine - (ownTicks() - t0.own)) / ticksPerSec;
  const foreignShare = foreign / (((Date.now() - t0.wall) / 1000) * nproc);
  log(`other processes used ${foreign.toFixed(1)} CPU-s (${(foreignShare * 100).toFixed(1)}% of the machine) during the run`);

  const info: RunInfo = {
    date: new Date().toISOString(),
    nproc,
    foreignCpuSeconds: foreign,
    foreignCpuShare: foreignShare,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    wrkVersion: version('wrk', ['-v']).replace(/ \[.*$/, '').replace(/ Copyright.*$/, ''),
    nginxVersion: version('/usr/sbin/nginx', ['-v']).replace(/^nginx version: /, ''),
    pinned,
    seconds: SECONDS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    largeConnections: LARGE_CONNECTIONS,
    uploadBytes: UPLOAD_BYTES,
    sseCount: SSE_COUNT,
    rate,
    rateBasis,
    command: COMMAND_VARS.some((k) => env[k])
      ? `${COMMAND_VARS.filter((k) => env[k]).map((k) => `${k}=${env[k]}`).join(' ')} make bench`
      : 'make bench',
    porticoLogLevel: env.BENCH_PORTICO_LOG_LEVEL ?? 'info',
    porticoNodeFlags: porticoNodeFlags(),
    porticoLog,
  };
  process.stdout.write(`\n${table(results, info)}\n\n${roundsTable(results)}\n\n${ratios(results)}\n\n${targets(results)}\n\n`);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  writeFileSync(join(ROOT, '.bench/results.json'), `${JSON.stringify({ info, results }, null, 2)}\n`);
  if (WRITE_DOCS) {
    writeFileSync(join(ROOT, 'docs/benchmarks.md'), markdown(results, info));
    log('wrote docs/benchmarks.md and .bench/results.json');
  }
  const failed = results.filter((r) => r.failed !== null);
  if (failed.length) log(`failed subjects: ${failed.map((r) => r.name).join(', ')}`);
  return failed.length ? 1 : 0;
}

const watchdog = setTimeout(() => {
  log(`watchdog: run exceeded ${WATCHDOG_MS / 60_000} minutes; killing children`);
  killAllTracked();
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAllTracked();
    process.exit(130);
  });
}
process.on('exit', killAllTracked);

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    log(`error: ${(e as Error).stack ?? String(e)}`);
    killAllTracked();
    process.exitCode = 1;
  },
);

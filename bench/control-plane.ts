// Control-plane benchmark (issue 3): `node dist/bench/control-plane.js`
//   1. propagation: time from a health flip (the control plane's "endpoint health changed" log
//      line) to the moment all of 10 data planes installed the version it caused ("snapshot
//      installed"), over gRPC and over Redis (a private redis-server); p50/p99/max.
//   2. probing cost: control-plane CPU (% of one core) and RSS while probing 1,000 endpoints at a
//      1 s interval (4 local backend ports, distinct paths /e1 … /e1000), plus its socket count.
// Environment (all optional):
//   BENCH_CP_FLIPS     health flips per transport (default 40)
//   BENCH_CP_SECONDS   measurement window of the probing phase (default 20)
//   BENCH_CP_PLANES    data planes (default 10)
//   BENCH_DOCS=0       do not append to docs/benchmarks-control-plane.md
// Times are the plane processes' own pino timestamps (one machine, one clock, 1 ms resolution).
// Every child is tracked and killed by PID on success, error, signal and a watchdog.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORTICO = join(ROOT, 'dist/bin/portico.js');
const FLIPS = Math.max(5, Number(process.env.BENCH_CP_FLIPS ?? 40));
const SECONDS = Math.max(5, Number(process.env.BENCH_CP_SECONDS ?? 20));
const PLANES = Math.max(1, Number(process.env.BENCH_CP_PLANES ?? 10));
const WRITE_DOCS = process.env.BENCH_DOCS !== '0';
const WATCHDOG_MS = 8 * 60_000;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const log = (msg: string) => process.stdout.write(`[bench:control-plane] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- children, tracked by PID ---------------------------------------------------------------
interface Child {
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<void>;
}
const children = new Set<ChildProcess>();

function run(cmd: string, args: string[]): Child {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    rest += d;
    let nl;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (line.startsWith('{')) {
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch { /* not a log line */ }
      }
    }
  });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-4000); });
  const exited = new Promise<void>((resolve) => proc.once('exit', (code) => {
    children.delete(proc);
    if (code !== 0 && code !== null && !stopping.has(proc)) log(`${cmd} ${args[0] ?? ''} exited ${code}: ${err}`);
    resolve();
  }));
  return { proc, lines, exited };
}

const stopping = new Set<ChildProcess>();
async function stop(c: Child): Promise<void> {
  stopping.add(c.proc);
  if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 5_000);
  await c.exited;
  clearTimeout(t);
}

function killAll(): void {
  for (const p of children) p.kill('SIGKILL');
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { killAll(); process.exit(130); });
process.on('exit', killAll);

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function address(c: Child, listener: string): Promise<string> {
  return until(() => c.lines.find((l) => l.msg === 'listening' && l.listener === listener)?.address as string | undefined, `${listener} listener`);
}

// ---- backends --------------------------------------------------------------------------------
async function backend(health: () => boolean): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/health')) res.writeHead(health() ? 200 : 503).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

function writeConfig(dir: string, yaml: string): string {
  const path = join(dir, 'portico.yaml');
  writeFileSync(path, yaml);
  return path;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

// ---- 1. propagation --------------------------------------------------------------------------
interface Propagation { transport: string; samples: number; p50: number; p99: number; max: number }

async function redisServer(): Promise<{ child: Child; url: string }> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const child = run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await until(() => {
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    return r.stdout?.trim() === 'PONG' ? true : undefined;
  }, 'redis-server', 10_000);
  return { child, url: `redis://127.0.0.1:${port}` };
}

async function propagation(transport: 'grpc' | 'redis', dir: string): Promise<Propagation> {
  let healthy = true;
  const flipping = await backend(() => healthy);
  const steady = await backend(() => true);
  const redis = transport === 'redis' ? await redisServer() : undefined;
  const configPath = writeConfig(dir, `
healthCheck: { interval: 100ms, timeout: 500ms, jitter: 0%, healthyThreshold: 1, unhealthyThreshold: 1 }
${redis ? `redis: { url: "${redis.url}", keyPrefix: "bench:" }` : ''}
clusters:
  - name: c
    endpoints:
      - { url: "http://127.0.0.1:${steady.port}", name: steady }
      - { url: "http://127.0.0.1:${flipping.port}", name: flipping }
routes:
  - { match: { prefix: / }, cluster: c }
`);
  const cp = run(process.execPath, [PORTICO, 'control-plane', '-c', configPath, '--grpc', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--log-level', 'debug']);
  const grpc = await address(cp, 'grpc');
  const planes: Child[] = [];
  for (let i = 0; i < PLANES; i++) {
    const source = redis ? ['--redis', redis.url, '--redis-key-prefix', 'bench:'] : ['--control-plane', grpc];
    planes.push(run(process.execPath, [PORTICO, 'data-plane', ...source, '--id', `bench-${i}`, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']));
  }
  const installed = (c: Child, version: number) => c.lines.some((l) => l.msg === 'snapshot installed' && l.version === version);
  const built = () => cp.lines.filter((l) => l.msg === 'snapshot built');
  // Everyone at the current version before the first flip.
  await until(() => {
    const last = built().at(-1);
    return last && planes.every((p) => installed(p, last.version as number)) ? true : undefined;
  }, 'data planes in sync', 60_000);
  await sleep(300);

  const samples: number[] = [];
  for (let i = 0; i < FLIPS; i++) {
    const flipsBefore = cp.lines.filter((l) => l.msg === 'endpoint health changed').length;
    healthy = !healthy;
    const flip = await until(() => cp.lines.filter((l) => l.msg === 'endpoint health changed')[flipsBefore], 'flip', 10_000);
    const version = await until(() => built().find((l) => l.reason === 'health' && (l.time as number) >= (flip.time as number))?.version as number | undefined, 'version built', 10_000);
    const times = await until(() => {
      const ts = planes.map((p) => p.lines.find((l) => l.msg === 'snapshot installed' && l.version === version)?.time as number | undefined);
      return ts.every((t) => t !== undefined) ? (ts as number[]) : undefined;
    }, `version ${version} on every data plane`, 10_000);
    samples.push(Math.max(...times) - (flip.time as number));
    await sleep(150);
  }
  await Promise.all([...planes.map(stop), stop(cp)]);
  if (redis) await stop(redis.child);
  for (const b of [flipping, steady]) {
    b.server.closeAllConnections();
    b.server.close();
  }
  const sorted = samples.slice().sort((a, b) => a - b);
  return { transport, samples: samples.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1)! };
}

// ---- 2. probing 1,000 endpoints --------------------------------------------------------------
interface ProbeCost { endpoints: number; cpuPercent: number; rssMeanMiB: number; rssMaxMiB: number; sockets: number; versions: number; probesPerSecond: number }

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
function socketCount(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch { /* closed meanwhile */ }
  }
  return n;
}

async function probing(dir: string): Promise<ProbeCost> {
  const ENDPOINTS = 1000;
  let probes = 0;
  const ports: Array<{ server: Server; port: number }> = [];
  for (let i = 0; i < 4; i++) ports.push(await backend(() => { probes++; return true; }));
  const clusters = Array.from({ length: 10 }, (_, c) => `
  - name: c${c}
    endpoints:
${Array.from({ length: ENDPOINTS / 10 }, (_, e) => {
    const n = c * (ENDPOINTS / 10) + e + 1;
    return `      - { url: "http://127.0.0.1:${ports[n % ports.length]!.port}/e${n}", name: e${n} }`;
  }).join('\n')}`).join('');
  const configPath = writeConfig(dir, `
healthCheck: { interval: 1s, timeout: 2s }
clusters:${clusters}
routes:
${Array.from({ length: 10 }, (_, c) => `  - { match: { prefix: /c${c} }, cluster: c${c} }`).join('\n')}
`);
  const cp = run(process.execPath, [PORTICO, 'control-plane', '-c', configPath, '--grpc', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--log-level', 'debug']);
  const admin = await address(cp, 'admin');
  const pid = cp.proc.pid!;
  await until(async () => {
    const s = (await (await fetch(`http://${admin}/api/status`)).json()) as { clusters: Array<{ endpoints: Array<{ status: string }> }> };
    return s.clusters.every((c) => c.endpoints.every((e) => e.status === 'healthy')) ? true : undefined;
  }, 'all 1,000 endpoints healthy', 60_000);
  log('all 1,000 endpoints healthy; warming up 5 s');
  await sleep(5_000);

  const versionsBefore = cp.lines.filter((l) => l.msg === 'snapshot built').length;
  const probesBefore = probes;
  const t0 = Date.now();
  const ticks0 = cpuTicks(pid);
  const rss: number[] = [];
  let sockets = 0;
  while (Date.now() - t0 < SECONDS * 1000) {
    await sleep(1000);
    rss.push(rssMiB(pid));
    sockets = Math.max(sockets, socketCount(pid));
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpuPercent = ((cpuTicks(pid) - ticks0) / CLK_TCK / elapsed) * 100;
  const versions = cp.lines.filter((l) => l.msg === 'snapshot built').length - versionsBefore;
  const probesPerSecond = (probes - probesBefore) / elapsed;
  await stop(cp);
  for (const b of ports) {
    b.server.closeAllConnections();
    b.server.close();
  }
  return {
    endpoints: ENDPOINTS,
    cpuPercent,
    rssMeanMiB: rss.reduce((a, b) => a + b, 0) / rss.length,
    rssMaxMiB: Math.max(...rss),
    sockets,
    versions,
    probesPerSecond,
  };
}

// ---- main ------------------------------------------------------------------------------------
async function main(): Promise<void> {
  if (!existsSync(PORTICO)) throw new Error(`build first: ${PORTICO} is missing`);
  const watchdog = setTimeout(() => {
    log('watchdog: giving up');
    killAll();
    process.exit(3);
  }, WATCHDOG_MS);
  watchdog.unref();
  const dir = mkdtempSync(join(os.tmpdir(), 'portico-bench-cp-'));
  const results: Propagation[] = [];
  for (const transport of ['grpc', 'redis'] as const) {
    log(`propagation over ${transport}: ${PLANES} data planes, ${FLIPS} flips`);
    mkdirSync(join(dir, transport));
    const r = await propagation(transport, join(dir, transport));
    log(`  p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms`);
    results.push(r);
  }
  log(`probing 1,000 endpoints at 1 s for ${SECONDS} s`);
  mkdirSync(join(dir, 'probe'));
  const cost = await probing(join(dir, 'probe'));
  log(`  CPU ${cost.cpuPercent.toFixed(1)}% of one core, RSS mean ${cost.rssMeanMiB.toFixed(1)} MiB (max ${cost.rssMaxMiB.toFixed(1)}), ${cost.sockets} sockets, ${cost.probesPerSecond.toFixed(0)} probes/s, ${cost.versions} versions in ${SECONDS} s`);

  const cpu = os.cpus();
  const md = `
## ${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC

Command: \`make build && node dist/bench/control-plane.js\` (BENCH_CP_FLIPS=${FLIPS}, BENCH_CP_SECONDS=${SECONDS}, BENCH_CP_PLANES=${PLANES})
Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.release()} (shared with other work; nothing pinned)

Propagation: health flip (control plane's "endpoint health changed") → installed on all ${PLANES} data planes.

| transport | flips | p50 | p99 | max | target |
| --- | ---: | ---: | ---: | ---: | --- |
${results.map((r) => `| ${r.transport} | ${r.samples} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | p99 < 200 ms |`).join('\n')}

Probing ${cost.endpoints} endpoints every 1 s (10% jitter; 4 backend ports, paths /e1 … /e1000), ${SECONDS} s window after all were healthy:

| control-plane CPU (one core) | RSS mean | RSS max | sockets | probes/s | snapshot versions | target |
| ---: | ---: | ---: | ---: | ---: | ---: | --- |
| ${cost.cpuPercent.toFixed(1)}% | ${cost.rssMeanMiB.toFixed(1)} MiB | ${cost.rssMaxMiB.toFixed(1)} MiB | ${cost.sockets} | ${cost.probesPerSecond.toFixed(0)} | ${cost.versions} | < 10% CPU, < 150 MiB |
`;
  process.stdout.write(md);
  if (WRITE_DOCS) {
    const doc = join(ROOT, 'docs/benchmarks-control-plane.md');
    if (!existsSync(doc)) {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      writeFileSync(doc, '# Control-plane benchmarks\n\nAppended by `node dist/bench/control-plane.js` (source: bench/control-plane.ts). Newest last.\n');
    }
    appendFileSync(doc, md);
    log(`appended to ${doc}`);
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  killAll();
  process.exit(1);
});

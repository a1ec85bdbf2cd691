// WebSocket tunnel benchmark (issue 4): many concurrent idle tunnels through one `portico all`
// process (its resident memory), and the round-trip latency a tunnel adds to a small echo at a
// moderate, fixed message rate (p99 through Portico minus p99 direct to the same echo server).
//
//   node dist/bench/websocket.js [--tunnels 10000] [--rate 2500] [--connections 50]
//                                [--seconds 10] [--out docs/benchmarks-websocket.md]
//
// Processes: the echo upstream (this file with `upstream`) and the client side (this process)
// share CPU 1, Portico gets CPU 0 (taskset, as bench/run.ts does). Every child is tracked by PID
// and stopped by PID. A tunnel holds two sockets in the proxy, so the tunnel count is capped by
// the proxy's open-file limit; the report says when that cap applied.
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { killAllTracked, LOAD_CPU, pinSelf, readyLine, start, stop } from './procs.js';
import { median } from './stats.js';
import { startPortico, type Subject } from './subjects.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MiB = 1024 * 1024;

// ---------------------------------------------------------------- upstream role (child process)

function runUpstream(): void {
  let open = 0;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url === '/count' ? JSON.stringify({ open }) : '{"status":"ok"}');
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, maxPayload: MiB });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    wss.handleUpgrade(req, socket, head, (ws) => {
      open++;
      ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(data, { binary: isBinary }));
      ws.on('error', () => undefined);
      ws.on('close', () => { open--; });
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

// ---------------------------------------------------------------- client side

interface Options { tunnels: number; rate: number; connections: number; seconds: number; rounds: number; out: string }

function parseArgs(argv: string[]): Options {
  const o: Options = { tunnels: 10_000, rate: 2_500, connections: 50, seconds: 10, rounds: 3, out: join(ROOT, 'docs/benchmarks-websocket.md') };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    if (flag === '--tunnels') o.tunnels = Number(value);
    else if (flag === '--rate') o.rate = Number(value);
    else if (flag === '--connections') o.connections = Number(value);
    else if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--rounds') o.rounds = Number(value);
    else if (flag === '--out') o.out = value;
    else throw new Error(`unknown flag ${flag}`);
  }
  return o;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function openFileLimit(pid: number | 'self'): number {
  const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? Number(m[1]) : 1024;
}

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function openWs(url: string, localAddress?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 30_000, ...(localAddress ? { localAddress } : {}) });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });
}

/** Opens `n` tunnels, `parallel` handshakes at a time; calls `progress` as they open. */
async function openMany(url: string, n: number, parallel: number, progress: (opened: number) => void): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      // Spread client source addresses over 127.0.0.1-4 so ephemeral ports never run short.
      try {
        const ws = await openWs(url, `127.0.0.${1 + (i % 4)}`);
        ws.on('error', () => undefined);
        out.push(ws);
        progress(out.length);
      } catch (err) {
        if (++failures > 20) throw new Error(`too many failed handshakes; last: ${(err as Error).message}`);
        next--; // retry this slot (bounded by the failure budget)
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

interface Latency { samples: number; missed: number; p50: number; p90: number; p99: number; p999: number; max: number }

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Round { direct: Latency; portico: Latency; proxyCpuUsPerEcho: number; load: number }

/**
 * `rounds` alternating pairs (direct, then through Portico) so that noise from other work on the
 * machine falls on both sides; the proxy's CPU time per echo (two relayed messages) is read from
 * /proc during the Portico run.
 */
async function latencyRounds(directUrl: string, proxyUrl: string, pid: number, o: Options): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const load = loadavg()[0] ?? 0;
    const direct = await echoLatency(directUrl, o);
    const cpu0 = cpuSeconds(pid);
    const portico = await echoLatency(proxyUrl, o);
    const cpu = cpuSeconds(pid) - cpu0;
    rounds.push({ direct, portico, proxyCpuUsPerEcho: (cpu * 1e6) / Math.max(1, portico.samples), load });
  }
  return rounds;
}

/**
 * Open-loop small echo: `connections` sockets, each sending a 32-byte text message every
 * connections/rate seconds, one outstanding at a time (a tick with the previous echo still
 * pending counts as missed). Round trips in microseconds; the first `warmupS` are discarded.
 */
async function echoLatency(url: string, o: Options, warmupS = 2): Promise<Latency> {
  const socks = await openMany(url, o.connections, 10, () => undefined);
  const periodMs = (o.connections / o.rate) * 1000;
  const rtts: number[] = [];
  let missed = 0;
  let recording = false;
  const timers: NodeJS.Timeout[] = [];
  const payload = 'x'.repeat(32);
  for (const [i, ws] of socks.entries()) {
    let sentAt = 0;
    ws.on('message', () => {
      if (recording && sentAt !== 0) rtts.push((performance.now() - sentAt) * 1000);
      sentAt = 0;
    });
    // Stagger the connections across one period so the rate is even.
    await sleep(periodMs / socks.length);
    void i;
    timers.push(setInterval(() => {
      if (sentAt !== 0) {
        if (recording) missed++;
        return;
      }
      sentAt = performance.now();
      ws.send(payload);
    }, periodMs));
  }
  await sleep(warmupS * 1000);
  recording = true;
  await sleep(o.seconds * 1000);
  recording = false;
  for (const t of timers) clearInterval(t);
  for (const ws of socks) ws.terminate();
  rtts.sort((a, b) => a - b);
  const q = (p: number) => rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))] ?? NaN;
  return { samples: rtts.length, missed, p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: rtts[rtts.length - 1] ?? NaN };
}

const ms = (us: number) => (us / 1000).toFixed(3);

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'portico-bench-ws-'));
  const children: Array<{ stop(): Promise<void> }> = [];
  const overall = setTimeout(() => {
    process.stderr.write('benchmark took longer than 15 minutes; stopping\n');
    killAllTracked();
    process.exit(2);
  }, 15 * 60_000);
  overall.unref();
  process.once('SIGINT', () => { killAllTracked(); process.exit(130); });
  try {
    const upstreamChild = start(process.execPath, [SELF, 'upstream'], { cpu: LOAD_CPU });
    children.push({ stop: () => stop(upstreamChild) });
    const { port } = await readyLine<{ port: number }>(upstreamChild, 10_000);
    const upstreamOrigin = `http://127.0.0.1:${port}`;
    const pinned = pinSelf(LOAD_CPU);
    const portico: Subject = await startPortico(upstreamOrigin, work, 'warn');
    children.push({ stop: () => portico.stop() });
    const pid = portico.pid!;
    const proxyWs = portico.origin.replace(/^http/, 'ws');
    const directWs = upstreamOrigin.replace(/^http/, 'ws');

    // Two sockets per tunnel in the proxy, plus listeners, pipes and the latency connections.
    const fdLimit = Math.min(openFileLimit(pid), openFileLimit('self'), openFileLimit(upstreamChild.pid!));
    const tunnels = Math.min(o.tunnels, Math.floor((fdLimit - 64 - 2 * o.connections) / 2));
    const capped = tunnels < o.tunnels;
    process.stderr.write(`open-file limit ${fdLimit}: ${tunnels} tunnels${capped ? ` (asked for ${o.tunnels})` : ''}\n`);

    // Warm the proxy's JIT and pools, then measure at rest.
    await echoLatency(`${proxyWs}/warmup`, { ...o, seconds: 2 }, 1);
    await sleep(2_000);
    const idleKb = rssKb(pid);

    process.stderr.write(`latency without idle tunnels: ${o.rounds} rounds of direct, portico\n`);
    const quiet = await latencyRounds(`${directWs}/echo`, `${proxyWs}/echo`, pid, o);

    process.stderr.write(`opening ${tunnels} idle tunnels\n`);
    const steps: Array<{ tunnels: number; rssKb: number }> = [];
    const marks = new Set([Math.floor(tunnels / 4), Math.floor(tunnels / 2), Math.floor((3 * tunnels) / 4)]);
    const t0 = performance.now();
    const idle = await openMany(`${proxyWs}/idle`, tunnels, 200, (n) => {
      if (marks.has(n)) steps.push({ tunnels: n, rssKb: rssKb(pid) });
    });
    const openSeconds = (performance.now() - t0) / 1000;
    await sleep(3_000);
    const upstreamOpen = (JSON.parse(await (await fetch(`${upstreamOrigin}/count`)).text()) as { open: number }).open;
    const fullKb = rssKb(pid);
    const peakKb = rssKb(pid, 'VmHWM');
    steps.push({ tunnels, rssKb: fullKb });

    process.stderr.write(`latency with the idle tunnels open: ${o.rounds} rounds of direct, portico\n`);
    const busy = await latencyRounds(`${directWs}/echo`, `${proxyWs}/echo`, pid, o);
    const stillOpen = idle.filter((ws) => ws.readyState === WebSocket.OPEN).length;
    for (const ws of idle) ws.terminate();

    const perTunnelKb = (fullKb - idleKb) / tunnels;
    const projected10k = idleKb + perTunnelKb * 10_000;
    const report = `# WebSocket tunnel benchmark

Produced by \`node dist/bench/websocket.js${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` (\`bench/websocket.ts\`, after \`npx tsc -p tsconfig.json\`).
One run on one machine: an indication, not a guarantee.

- Date: ${new Date().toISOString()}
- Machine: ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}
- Subject: one \`portico all\` process (control plane and data plane together, log level warn), one cluster with the echo upstream, one prefix route
- CPU pinning: ${pinned ? 'Portico on CPU 0; the echo upstream and this client process on CPU 1 (`taskset`)' : 'none (taskset unavailable)'}
- Open-file limit (hard, not raisable in this container): ${fdLimit}; a tunnel holds two sockets in the proxy${capped ? `, so this run holds **${tunnels}** tunnels rather than ${o.tunnels}; the 10,000 figure below is projected from the measured per-tunnel cost` : ''}

## Idle tunnels: proxy memory

| tunnels open | proxy RSS MiB |
| --- | --- |
| 0 (after warm-up) | ${(idleKb / 1024).toFixed(0)} |
${steps.map((s) => `| ${s.tunnels.toLocaleString('en-US')} | ${(s.rssKb / 1024).toFixed(0)} |`).join('\n')}

- Opened ${tunnels.toLocaleString('en-US')} tunnels in ${openSeconds.toFixed(1)} s (200 handshakes in flight); the upstream counted ${upstreamOpen.toLocaleString('en-US')} open; ${stillOpen.toLocaleString('en-US')} were still open after the latency runs
- Peak RSS (VmHWM) over the whole run: ${(peakKb / 1024).toFixed(0)} MiB
- Cost per idle tunnel: ${perTunnelKb.toFixed(1)} KiB${capped ? `; projected RSS at 10,000 tunnels: **${(projected10k / 1024).toFixed(0)} MiB**` : ''}
- Target: under 400 MiB at 10,000 tunnels — ${(capped ? projected10k : fullKb) / 1024 < 400 ? 'met' : 'NOT met'}${capped ? ' (projected)' : ''}

## Small echo round trip at a fixed rate

${o.connections} connections, ${o.rate.toLocaleString('en-US')} messages/s in total (one 32-byte text message per connection every ${((o.connections / o.rate) * 1000).toFixed(0)} ms, at most one outstanding), ${o.seconds} s after a 2 s warm-up; ${o.rounds} rounds, each a direct run followed by a Portico run. Milliseconds.

| round | idle tunnels open | 1-min load avg | path | samples | missed ticks | p50 | p90 | p99 | p99.9 | max | added p99 | proxy CPU µs per echo |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${([[0, quiet], [tunnels, busy]] as Array<[number, Round[]]>).flatMap(([n, rounds]) => rounds.flatMap((r, i) => [
  `| ${i + 1} | ${n.toLocaleString('en-US')} | ${r.load.toFixed(1)} | direct | ${r.direct.samples} | ${r.direct.missed} | ${ms(r.direct.p50)} | ${ms(r.direct.p90)} | ${ms(r.direct.p99)} | ${ms(r.direct.p999)} | ${ms(r.direct.max)} | | |`,
  `| ${i + 1} | ${n.toLocaleString('en-US')} | ${r.load.toFixed(1)} | portico | ${r.portico.samples} | ${r.portico.missed} | ${ms(r.portico.p50)} | ${ms(r.portico.p90)} | ${ms(r.portico.p99)} | ${ms(r.portico.p999)} | ${ms(r.portico.max)} | ${ms(r.portico.p99 - r.direct.p99)} | ${r.proxyCpuUsPerEcho.toFixed(0)} |`,
])).join('\n')}

- Added p99 (portico − direct), median of ${o.rounds} rounds, no idle tunnels: **${ms(median(quiet.map((r) => r.portico.p99 - r.direct.p99)))} ms**; added p50: ${ms(median(quiet.map((r) => r.portico.p50 - r.direct.p50)))} ms
- Added p99, median of ${o.rounds} rounds, ${tunnels.toLocaleString('en-US')} idle tunnels open: **${ms(median(busy.map((r) => r.portico.p99 - r.direct.p99)))} ms**; added p50: ${ms(median(busy.map((r) => r.portico.p50 - r.direct.p50)))} ms
- Proxy CPU per echo (two relayed messages), median: ${median([...quiet, ...busy].map((r) => r.proxyCpuUsPerEcho)).toFixed(0)} µs
- Target: added p99 under 1 ms — ${median(busy.map((r) => r.portico.p99 - r.direct.p99)) < 1000 && median(quiet.map((r) => r.portico.p99 - r.direct.p99)) < 1000 ? 'met' : 'NOT met'}

"Direct" is the same client talking to the same echo upstream without Portico; both share CPU 1,
so the difference isolates the extra hop (Portico's CPU 0 plus one more loopback round trip).
`;
    writeFileSync(o.out, report);
    process.stdout.write(report);
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    clearTimeout(overall);
  }
}

if (process.argv[2] === 'upstream') runUpstream();
else main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  killAllTracked();
  process.exit(1);
});

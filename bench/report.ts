// Turns the results of one run into the console table and docs/benchmarks.md.
import type { SseResult, UploadResult } from './probes.js';
import { MINIMAL } from './subjects.js';
import type { WrkResult } from './wrk.js';

export interface RateResult {
  /** the rate asked for; wrk.rps is the rate reached */
  target: number;
  wrk: WrkResult;
}

export interface SubjectResult {
  name: string;
  failed: string | null;
  /** the median round of the 1 KiB phase; smallRounds has every round's req/s */
  small: WrkResult | null;
  smallRounds: number[];
  /** the median round of the 1 MiB phase; largeRounds has every round's req/s */
  large: WrkResult | null;
  largeRounds: number[];
  /** the median round (by p99) at the fixed rate; rateRounds has every round's p99 (ms) */
  rate: RateResult | null;
  rateRounds: number[];
  sse: SseResult | null;
  upload: UploadResult | null;
  /** per-measurement errors (the subject kept running) */
  notes: string[];
}

export interface RunInfo {
  date: string;
  nproc: number;
  /** CPU-seconds used during the run by processes outside the harness, and their share of the machine */
  foreignCpuSeconds: number;
  foreignCpuShare: number;
  cpuModel: string;
  node: string;
  wrkVersion: string;
  nginxVersion: string;
  pinned: boolean;
  seconds: number;
  rounds: number;
  connections: number;
  largeConnections: number;
  uploadBytes: number;
  sseCount: number;
  rate: number;
  rateBasis: string;
  command: string;
  porticoLog: string[];
  porticoLogLevel: string;
  /** node flags Portico runs with: those of its bin's shebang line */
  porticoNodeFlags: string[];
}

const MiB = 1024 * 1024;
const f = (n: number | undefined | null, digits = 2): string => (n === undefined || n === null || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const int = (n: number | undefined | null): string => (n === undefined || n === null || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US'));

function cell(r: SubjectResult, failMark: string, fn: () => string): string {
  if (r.failed !== null) return failMark;
  try {
    return fn();
  } catch {
    return '–';
  }
}

export function table(results: SubjectResult[], info: RunInfo): string {
  const direct = results.find((r) => r.name === 'direct');
  const head = [
    'subject',
    '1 KiB req/s',
    '1 KiB p50 / p99 ms',
    '1 MiB req/s (MiB/s)',
    `p99 ms @ ${int(info.rate)} req/s`,
    'added p99 ms',
    'SSE first event median / p99 ms',
    `${f(info.uploadBytes / (1024 * MiB), 2)} GiB upload s (MiB/s)`,
    'proxy RSS idle → peak MiB (Δ)',
  ];
  const rows = results.map((r) => {
    const s = r.small;
    const l = r.large;
    const u = r.upload;
    return [
      r.failed !== null ? `${r.name} (failed)` : r.name,
      cell(r, 'failed', () => (s ? int(s.rps) + (s.errors ? ` (${s.errors} errors)` : '') : '–')),
      cell(r, '–', () => (s ? `${f(s.latencyMs.p50)} / ${f(s.latencyMs.p99)}` : '–')),
      cell(r, '–', () => (l ? `${int(l.rps)} (${int(l.transferPerSec / MiB)})` + (l.errors ? ` (${l.errors} errors)` : '') : '–')),
      cell(r, '–', () => (r.rate ? `${f(r.rate.wrk.latencyMs.p99)} (at ${int(r.rate.wrk.rps)}/s)` + (r.rate.wrk.errors ? ` (${r.rate.wrk.errors} errors)` : '') : '–')),
      cell(r, '–', () => (r.name === 'direct' ? '0 (baseline)' : r.rate && direct?.rate ? f(r.rate.wrk.latencyMs.p99 - direct.rate.wrk.latencyMs.p99) : '–')),
      cell(r, '–', () => (r.sse ? `${f(r.sse.medianMs)} / ${f(r.sse.p99Ms)}` + (r.sse.failures ? ` (${r.sse.failures} failed)` : '') : '–')),
      cell(r, '–', () => (u ? `${f(u.seconds, 1)} (${int(u.bytes / MiB / u.seconds)})${u.ok ? '' : ' BAD: ' + u.detail}` : '–')),
      cell(r, '–', () => {
        if (!u || r.name === 'direct') return 'n/a';
        const peak = Math.max(u.peakRss, u.hwm ?? 0);
        return `${f(u.idleRss / MiB, 0)} → ${f(peak / MiB, 0)} (+${f((peak - u.idleRss) / MiB, 0)})`;
      }),
    ];
  });
  const line = (cols: string[]): string => `| ${cols.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function ratio(a: number | undefined, b: number | undefined, digits = 2): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(digits)}×`;
}

export function ratios(results: SubjectResult[]): string {
  const p = results.find((r) => r.name === 'portico');
  if (!p || p.failed !== null) return 'Portico did not run, so there are no ratios.';
  const peers = results.filter((r) => r !== p && r.failed === null);
  const head = ['Portico vs', '1 KiB req/s', '1 MiB req/s', 'p99 @ fixed rate (lower is better)', 'SSE first event median (lower is better)', 'upload time (lower is better)'];
  const rows = peers.map((o) => [
    o.name,
    ratio(p.small?.rps, o.small?.rps),
    ratio(p.large?.rps, o.large?.rps),
    ratio(p.rate?.wrk.latencyMs.p99, o.rate?.wrk.latencyMs.p99),
    ratio(p.sse?.medianMs, o.sse?.medianMs),
    ratio(p.upload?.seconds, o.upload?.seconds),
  ]);
  const line = (cols: string[]): string => `| ${cols.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function targets(results: SubjectResult[]): string {
  const p = results.find((r) => r.name === 'portico');
  const fy = results.find((r) => r.name === '@fastify/http-proxy');
  const d = results.find((r) => r.name === 'direct');
  if (!p || p.failed !== null) return '- Portico did not run: no target could be checked.';
  const out: string[] = [];
  const mark = (ok: boolean | null): string => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  const r1 = p.small && fy?.small ? p.small.rps / fy.small.rps : null;
  out.push(`- 1 KiB request rate ≥ 1.5× @fastify/http-proxy: ${r1 === null ? '–' : r1.toFixed(2) + '×'} — ${mark(r1 === null ? null : r1 >= 1.5)}`);
  const addedBy = (r: SubjectResult | undefined): number | null => (r?.rate && d?.rate ? r.rate.wrk.latencyMs.p99 - d.rate.wrk.latencyMs.p99 : null);
  const added = addedBy(p);
  out.push(`- added p99 < 2 ms at half of Portico's max rate: ${added === null ? '–' : added.toFixed(2) + ' ms'} — ${mark(added === null ? null : added < 2)}`);
  const floor = addedBy(results.find((r) => r.name === MINIMAL && r.failed === null));
  if (floor !== null) out.push(`  - for scale, in the same run at the same rate: a minimal node:http + undici proxy added ${floor.toFixed(2)} ms`);
  const sse = p.sse && d?.sse ? p.sse.medianMs - d.sse.medianMs : null;
  out.push(`- SSE time-to-first-event within 1 ms of direct (median): ${sse === null ? '–' : (sse >= 0 ? '+' : '') + sse.toFixed(2) + ' ms'} — ${mark(sse === null ? null : sse <= 1)}`);
  const u = p.upload;
  const delta = u ? (Math.max(u.peakRss, u.hwm ?? 0) - u.idleRss) / MiB : null;
  out.push(`- 1 GiB upload, peak RSS ≤ idle + 64 MiB: ${delta === null ? '–' : '+' + delta.toFixed(0) + ' MiB'}${u && !u.ok ? ' (upload corrupted or failed: ' + u.detail + ')' : ''} — ${mark(delta === null ? null : delta <= 64 && (u?.ok ?? false))}`);
  return out.join('\n');
}

export function rounds(results: SubjectResult[]): string {
  const rows = results.filter((r) => r.failed === null);
  return [
    '| subject | 1 KiB req/s, each round | 1 MiB req/s, each round | p99 ms at the fixed rate, each round |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.smallRounds.map(int).join(' / ') || '–'} | ${r.largeRounds.map(int).join(' / ') || '–'} | ${r.rateRounds.map((p) => f(p)).join(' / ') || '–'} |`),
    ...pairedRatio(rows),
  ].join('\n');
}

/**
 * Portico ÷ @fastify/http-proxy round by round: the two ran back to back, so a slow spell of this
 * shared machine shows in both numbers of a round. Only when every round of both succeeded (the
 * rounds then line up).
 */
function pairedRatio(rows: SubjectResult[]): string[] {
  const p = rows.find((r) => r.name === 'portico')?.smallRounds ?? [];
  const fy = rows.find((r) => r.name === '@fastify/http-proxy')?.smallRounds ?? [];
  if (p.length === 0 || p.length !== fy.length) return [];
  const each = p.map((v, i) => v / fy[i]!);
  const median = [...each].sort((x, y) => x - y)[Math.floor(each.length / 2)]!;
  return ['', `Portico ÷ @fastify/http-proxy, 1 KiB req/s of the same round: ${each.map((x) => `${x.toFixed(2)}×`).join(' / ')} (median ${median.toFixed(2)}×).`];
}

/** One line, at most 600 characters, for the problems list. */
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 600 ? `${one.slice(0, 600)}…` : one;
}

export function markdown(results: SubjectResult[], info: RunInfo): string {
  const failures = results.filter((r) => r.failed !== null || r.notes.length > 0);
  return `# Benchmarks

Produced by \`${info.command}\` (\`bench/run.ts\`); rerun it to refresh this file. Numbers from one
run on one machine are indications, not guarantees: compare rows of the same run only.

- Date: ${info.date}
- Machine: ${info.nproc} CPU(s) (${info.cpuModel}), Node ${info.node}, ${info.wrkVersion}, ${info.nginxVersion}
- CPU pinning: ${info.pinned ? 'each proxy on CPU 0; wrk, the SSE/upload client (the harness) and the backend on CPU 1 (`taskset`)' : 'NOT pinned (taskset missing): proxy and load generator compete for the CPUs'}
- Other load on the machine during the run: ${f(info.foreignCpuSeconds, 1)} CPU-seconds by processes outside the benchmark, ${f(info.foreignCpuShare * 100, 1)}% of the machine's CPU time${info.foreignCpuShare > 0.05 ? ' — **the machine was busy: these numbers are disturbed; rerun on a quiet machine**' : ' (quiet)'}
- Same backend for every subject (\`bench/backend.ts\`, one node:http process). "direct" means the load generator talks to it without a proxy; it shares CPU 1 with the load generator, like the backend does in every other row.
- A reference row: "${MINIMAL}" (\`bench/minimal-proxy.ts\`) streams both ways and does nothing else (no routing, header handling, logging, metrics or timeouts): what Node itself costs.

## Results

${table(results, info)}

### Rounds

${rounds(results)}

## Portico relative to each peer

${ratios(results)}

Ratios above 1 mean Portico's number is larger (better for req/s, worse for latency and time).

## Targets (issue 2)

${targets(results)}

## Method

- **Rounds**: the 1 KiB, 1 MiB and fixed-rate phases run ${info.rounds} rounds, interleaved (subject A, B, C, D, then A, B, C, D again…), and the tables show each subject's median round; a burst of other load on this shared machine then disturbs one round of every subject instead of one subject's whole measurement. Each measured round is preceded by 1 s of the same load, not measured: a subject sits idle through the others' rounds, and a Node subject's first half second after such a pause ran saturated. Every round is listed under "Rounds".
- **1 KiB**: \`wrk -t1 -c${info.connections} -d${info.seconds}s --latency\` on \`/1k\` after a warm-up run; closed loop, so the request rate is the subject's maximum.
- **1 MiB**: \`wrk -t1 -c${info.largeConnections} -d${info.seconds}s\` on \`/1m\` after a warm-up run (MiB/s is wrk's Transfer/sec).
- **p99 at a fixed rate**: about ${int(info.rate)} req/s (${info.rateBasis}) on \`/1k\` for ${info.seconds} s after a 2 s warm-up: \`wrk -t1 -c${info.connections} --latency\` with a Lua \`delay()\` that pauses each connection a random 0–2 × ${info.connections}/rate s before each request (the rate reached is shown; wrk times each request in microseconds). "added p99" is the subject's p99 minus direct's at the same rate.
- **SSE**: ${info.sseCount} sequential fresh connections to \`/sse\`; time from starting the request (connect included) to the first body bytes.
- **Upload**: one POST of ${f(info.uploadBytes / MiB, 0)} MiB (Content-Length, 1 MiB writes with backpressure) to \`/upload\`; the backend's byte count and sha256 are checked. The proxy's resident memory (VmRSS summed over its process tree) is sampled every 20 ms and VmHWM is read after a \`clear_refs\` reset; idle is the RSS just before the upload, which runs first, right after the subject answered its readiness request.
- Subjects: Portico \`${['node', ...info.porticoNodeFlags, 'dist/bin/portico.js all'].join(' ')}\` (the node flags of the bin's shebang line, which the image and \`make run\` pass too) with a generated config (one cluster on the backend, round-robin, a prefix route \`/\`) and \`--log-level ${info.porticoLogLevel}\`${info.porticoLogLevel === 'info' ? ' (access log on, written to a file)' : ' (access log OFF for this run)'}; NGINX with one worker, an upstream \`keepalive\` pool, access log on, \`proxy_request_buffering off\`, \`proxy_max_temp_file_size 0\` (responses buffered in memory only, never spooled to disk), \`proxy_buffering off\` for \`/sse\`; @fastify/http-proxy in a minimal Fastify app (\`bench/fastify-proxy.ts\`, Fastify's defaults: logger off); node:http + undici as above.
- Set \`BENCH_DURATION=2\` (seconds per load phase) and \`BENCH_UPLOAD_MB=64\` for a quick smoke run.
${failures.length ? `\n## Problems seen in this run\n\n${failures.map((r) => `- ${r.name}: ${short([r.failed, ...r.notes].filter(Boolean).join('; '))}`).join('\n')}\n` : ''}${info.porticoLog.length ? `\n## Portico log: warnings and errors\n\n\`\`\`\n${info.porticoLog.join('\n')}\n\`\`\`\n` : ''}`;
}

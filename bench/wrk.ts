// wrk driver: closed-loop maximum rate with `--latency`, and a parser for its text report.
import { LOAD_CPU, runBounded } from './procs.js';

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** bytes per second read */
  transferPerSec: number;
  latencyMs: { avg: number; p50: number; p75: number; p90: number; p99: number; max: number };
  /** connect/read/write/timeout socket errors plus non-2xx/3xx responses */
  errors: number;
}

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

function timeMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unparsable duration "${text}"`);
  return Number(m[1]) * (TIME_UNITS[m[2] as string] as number);
}

function sizeBytes(text: string): number {
  const m = /^([\d.]+)(B|KB|MB|GB|TB)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unparsable size "${text}"`);
  return Number(m[1]) * (SIZE_UNITS[m[2] as string] as number);
}

function need(re: RegExp, text: string, what: string): RegExpExecArray {
  const m = re.exec(text);
  if (!m) throw new Error(`wrk: no ${what} in output:\n${text}`);
  return m;
}

/** Parses the report of `wrk --latency`. */
export function parseWrk(text: string): WrkResult {
  const lat = need(/^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)/m, text, 'latency line');
  const pct = (p: string): number => timeMs(need(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm'), text, `${p}% latency`)[1] as string);
  const total = need(/^\s*(\d+) requests in ([\d.]+\w+), (\S+) read/m, text, 'request count');
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const errors = (sock ? sock.slice(1, 5).reduce((s, v) => s + Number(v), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return {
    requests: Number(total[1]),
    seconds: timeMs(total[2] as string) / 1000,
    rps: Number(need(/^Requests\/sec:\s+([\d.]+)/m, text, 'Requests/sec')[1]),
    transferPerSec: sizeBytes(need(/^Transfer\/sec:\s+(\S+)/m, text, 'Transfer/sec')[1] as string),
    latencyMs: {
      avg: timeMs(lat[1] as string),
      max: timeMs(lat[3] as string),
      p50: pct('50'),
      p75: pct('75'),
      p90: pct('90'),
      p99: pct('99'),
    },
    errors,
  };
}

export interface WrkRun {
  url: string;
  connections: number;
  seconds: number;
  /** wrk Lua script (see fixedRateScript) */
  script?: string;
  env?: Record<string, string>;
}

/**
 * A wrk script that paces each connection with a random pause, uniform in [0, 2 × BENCH_DELAY_MS],
 * before every request: with C connections and a pause of C / R seconds the total rate is close to
 * R (a little under: each round trip adds its latency), arrivals are spread rather than in bursts,
 * and wrk still times each request in microseconds from its first byte written. Chosen over
 * autocannon's overallRate (whole-millisecond histogram, too coarse for a 2 ms target) and over a
 * Node open-loop client (on the shared load CPU it saturated near 3k req/s here).
 */
export const FIXED_RATE_LUA = `local mean = tonumber(os.getenv("BENCH_DELAY_MS") or "10")
function delay()
  return math.random() * 2 * mean
end
`;

/** Runs wrk with one thread pinned to the load CPU; bounded by its duration plus a margin. */
export async function wrk(run: WrkRun): Promise<WrkResult> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--timeout', '5s', '--latency'];
  if (run.script !== undefined) args.push('-s', run.script);
  args.push(run.url);
  const out = await runBounded('wrk', args, LOAD_CPU, (run.seconds + 20) * 1000, run.env);
  return parseWrk(out);
}

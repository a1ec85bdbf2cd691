// Helpers for the observability tests: backends whose health probe a test can fail, a parser for
// the Prometheus text exposition, and an /api/events reader.
import type { Cleanup } from '../../helpers/cleanup.js';
import { startUpstream, type Upstream } from '../../helpers/upstream.js';

export interface ProbedBackend extends Upstream {
  name: string;
  setHealthy(healthy: boolean): void;
}

/**
 * A backend answering GET /health and GET <base path>/health (200 or 503 as set), `/boom` with 503, and anything else with
 * 200 and a small JSON body. `probeDelayMs` delays the health answer (a visible probe latency).
 */
export async function startProbedBackend(t: Cleanup, name: string, options: { probeDelayMs?: () => number } = {}): Promise<ProbedBackend> {
  let healthy = true;
  const upstream = await startUpstream(t, (req, res) => {
    if (req.url?.endsWith('/health')) {
      const answer = () => {
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(healthy ? 'ok' : 'failing');
      };
      const delay = options.probeDelayMs?.() ?? 0;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
      return;
    }
    req.resume();
    req.on('end', () => {
      const status = req.url?.startsWith('/boom') ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name, url: req.url }));
    });
  });
  return { ...upstream, name, setHealthy: (h) => { healthy = h; } };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses a Prometheus text exposition (what prom-client writes) into samples. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    let l: RegExpExecArray | null;
    while ((l = re.exec(m[2] ?? '')) !== null) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

export async function scrape(adminUrl: string): Promise<Sample[]> {
  const res = await fetch(`${adminUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

/** Samples of `name` whose labels include every pair of `labels`. */
export function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the single sample matching, or undefined. */
export function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = find(samples, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export { openEvents, type EventStream } from '../../helpers/events.js';

// Reports what only this data plane knows about its endpoints (outlier ejections, in-flight load,
// saturation) to the control plane: checked once a second, sent when it changed, and every few
// seconds anyway so the control plane can tell a stale report from a quiet one.
import type { EndpointLoad__Output as EndpointLoad } from '../../../shared/src/generated/portico/v1/EndpointLoad.js';
import type { Tables } from '../state/tables.js';

export function collectLoad(tables: Tables, now: number): EndpointLoad[] {
  const out: EndpointLoad[] = [];
  for (const c of tables.clusters.values()) {
    for (const e of c.endpoints) {
      const rt = e.runtime;
      out.push({ cluster: c.name, endpoint: e.name, ejected: rt.ejectedUntil > now, inFlight: rt.inFlight, saturated: rt.inFlight >= e.maxRequests });
    }
  }
  return out;
}

export interface LoadReporterOptions {
  tables: () => Tables | undefined;
  clock: () => number;
  send: (endpoints: EndpointLoad[]) => void;
  intervalMs?: number;
  heartbeatMs?: number;
}

export function startLoadReporter(options: LoadReporterOptions): { close(): void } {
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  let last = '';
  let lastSent = 0;
  const timer = setInterval(() => {
    const tables = options.tables();
    if (tables === undefined) return;
    const now = options.clock();
    const endpoints = collectLoad(tables, now);
    const text = JSON.stringify(endpoints);
    if (text === last && now - lastSent < heartbeatMs) return;
    last = text;
    lastSent = now;
    options.send(endpoints);
  }, options.intervalMs ?? 1_000);
  timer.unref();
  return { close: () => clearInterval(timer) };
}

// The effective health check of each endpoint: defaults ⊕ cluster override ⊕ endpoint override,
// and the probe URL (the endpoint URL's path prefix joined with the check path, the same way the
// data plane joins request paths: http://h:p/base + /health -> http://h:p/base/health).
import type { Config, HealthCheckConfig, HealthCheckOverride } from '../../../shared/src/config/index.js';
import { healthKey } from '../snapshot/build.js';

export interface ProbeTarget {
  /** `cluster/endpoint`, the key of the health view. */
  key: string;
  cluster: string;
  endpoint: string;
  /** Endpoint URL as configured (shown on /api/status). */
  endpointUrl: string;
  probeUrl: string;
  /** probeUrl split for the dispatcher: "http://host:port" and "/base/health". */
  origin: string;
  path: string;
  method: 'GET' | 'HEAD';
  intervalMs: number;
  timeoutMs: number;
  /** Fraction: 0.1 spreads each interval over ±10%. */
  jitter: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  expectedStatus: { min: number; max: number };
  /** Changes when anything above does: a changed target restarts from unknown. */
  fingerprint: string;
}

export function effectiveCheck(defaults: HealthCheckConfig, cluster?: HealthCheckOverride, endpoint?: HealthCheckOverride): HealthCheckConfig {
  const merged: HealthCheckConfig = { ...defaults };
  for (const layer of [cluster, endpoint]) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

export function probeUrl(endpointUrl: string, path: string): string {
  const url = new URL(endpointUrl);
  const base = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${base}${path.startsWith('/') ? path : `/${path}`}`;
}

export function probeTargets(config: Config): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const c of config.clusters) {
    for (const e of c.endpoints) {
      const check = effectiveCheck(config.healthCheck, c.healthCheck, e.healthCheck);
      const url = probeUrl(e.url, check.path);
      const parsed = new URL(url);
      const target: Omit<ProbeTarget, 'fingerprint'> = {
        key: healthKey(c.name, e.name!),
        cluster: c.name,
        endpoint: e.name!,
        endpointUrl: e.url,
        probeUrl: url,
        origin: parsed.origin,
        path: `${parsed.pathname}${parsed.search}`,
        method: check.method,
        intervalMs: check.interval,
        timeoutMs: check.timeout,
        jitter: check.jitter,
        healthyThreshold: check.healthyThreshold,
        unhealthyThreshold: check.unhealthyThreshold,
        expectedStatus: check.expectedStatus,
      };
      targets.push({ ...target, fingerprint: JSON.stringify(target) });
    }
  }
  return targets;
}

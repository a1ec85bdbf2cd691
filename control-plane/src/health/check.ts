// The effective health check of each endpoint: defaults ⊕ cluster override ⊕ endpoint override,
// and the probe URL (the endpoint URL's path prefix joined with the check path, the same way the
// data plane joins request paths: http://h:p/base + /health -> http://h:p/base/health).
import { createHash } from 'node:crypto';
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
  /**
   * Sent with every probe: the endpoint's own key too, since backends that require it (an
   * OpenAI-style /v1/models) would otherwise answer 401 and be marked unhealthy. Never logged.
   */
  headers: Record<string, string>;
}

const USER_AGENT = 'portico-health-check';

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

export interface ProbeTargetInput {
  key: string;
  cluster: string;
  endpoint: string;
  endpointUrl: string;
  check: HealthCheckConfig;
  /** The endpoint's backend key, sent with probes too. */
  auth?: { key: string; header: 'authorization' | 'x-api-key' } | undefined;
}

export function makeProbeTarget(input: ProbeTargetInput): ProbeTarget {
  const { check, auth } = input;
  const url = probeUrl(input.endpointUrl, check.path);
  const parsed = new URL(url);
  const target: Omit<ProbeTarget, 'fingerprint' | 'headers'> = {
    key: input.key,
    cluster: input.cluster,
    endpoint: input.endpoint,
    endpointUrl: input.endpointUrl,
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
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (auth) headers[auth.header] = auth.header === 'authorization' ? `Bearer ${auth.key}` : auth.key;
  // The key enters the fingerprint only as a digest: a rotated key restarts the endpoint's probes.
  const keyDigest = auth ? createHash('sha256').update(auth.key).digest('hex').slice(0, 16) : '';
  return { ...target, fingerprint: JSON.stringify({ ...target, keyDigest }), headers };
}

export function probeTargets(config: Config): ProbeTarget[] {
  return config.clusters.flatMap((c) => c.endpoints.map((e) => makeProbeTarget({
    key: healthKey(c.name, e.name!),
    cluster: c.name,
    endpoint: e.name!,
    endpointUrl: e.url,
    check: effectiveCheck(config.healthCheck, c.healthCheck, e.healthCheck),
    auth: e.auth,
  })));
}

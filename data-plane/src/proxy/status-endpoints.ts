// Data-plane status endpoints on the traffic listener (SPEC §4), answered from the current
// tables. No URL or key appears in the public document.
import type { CompiledCluster, CompiledEndpoint, Tables } from '../state/tables.js';

type Status = 'healthy' | 'unhealthy' | 'unknown';

function status(e: CompiledEndpoint): Status {
  return e.status === 'HEALTHY' ? 'healthy' : e.status === 'UNHEALTHY' ? 'unhealthy' : 'unknown';
}

function publicEndpoint(e: CompiledEndpoint) {
  return { name: e.name, status: status(e), latencyMs: round(e.latencyMs), lastCheck: e.lastCheck || null };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** ok: every endpoint healthy; down: some cluster has no endpoint it may use; degraded otherwise. */
export function overallStatus(tables: Tables): 'ok' | 'degraded' | 'down' {
  let allHealthy = true;
  for (const c of tables.clusters.values()) {
    if (c.candidates.length === 0) return 'down';
    if (c.endpoints.some((e) => e.status !== 'HEALTHY')) allHealthy = false;
  }
  return allHealthy ? 'ok' : 'degraded';
}

export function healthStatusDocument(tables: Tables) {
  const clusters: Record<string, { endpoints: ReturnType<typeof publicEndpoint>[] }> = {};
  for (const c of tables.clusters.values()) clusters[c.name] = { endpoints: c.endpoints.map(publicEndpoint) };
  return { status: overallStatus(tables), snapshotVersion: tables.snapshot.version, clusters };
}

export function clusterStatusDocument(cluster: CompiledCluster, now: number) {
  return {
    cluster: cluster.name,
    endpoints: cluster.endpoints.map((e) => ({
      ...publicEndpoint(e),
      url: e.url,
      ejected: e.runtime.ejectedUntil > now,
      inFlight: e.runtime.inFlight,
    })),
  };
}

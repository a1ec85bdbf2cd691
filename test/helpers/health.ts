// The control plane probes every endpoint (default GET /health): test backends with their own
// handlers must answer it, and tests that need a known health state wait for it here.
import type { Gateway } from './gateway.js';
import { waitFor } from './cleanup.js';
import type { UpstreamHandler } from './upstream.js';

/** Answers the health probe path with 200 and hands every other request to `handler`. */
export function answersHealth(handler: UpstreamHandler, path = '/health'): UpstreamHandler {
  return (req, res) => {
    if (req.url === path) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    handler(req, res);
  };
}

interface StatusDoc {
  snapshotVersion: number;
  clusters: Array<{ name: string; endpoints: Array<{ name: string; status: string }> }>;
  dataPlanes: Array<{ snapshotVersion: number }>;
}

/**
 * Waits until every endpoint of `cluster` (or only `endpoint`) has `status` on the control plane's
 * /api/status and the in-process data plane serves that snapshot version.
 */
export async function waitForEndpointStatus(gw: Gateway, cluster: string, status: 'healthy' | 'unhealthy', endpoint?: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => {
    const res = await fetch(`${gw.adminUrl}/api/status`);
    if (res.status !== 200) return undefined;
    const doc = (await res.json()) as StatusDoc;
    const c = doc.clusters.find((x) => x.name === cluster);
    const eps = c?.endpoints.filter((e) => endpoint === undefined || e.name === endpoint) ?? [];
    if (eps.length === 0 || !eps.every((e) => e.status === status)) return undefined;
    return doc.dataPlanes.length > 0 && doc.dataPlanes.every((d) => d.snapshotVersion >= doc.snapshotVersion) ? true : undefined;
  }, `${cluster}${endpoint ? `/${endpoint}` : ''} ${status}`, timeoutMs);
}

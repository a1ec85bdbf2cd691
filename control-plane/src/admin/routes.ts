// Control-plane admin routes (SPEC §4): GET /api/status and GET /api/events (SSE). They are added
// to the shared admin Fastify instance (shared/src/admin/server.ts).
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Channel } from '../channel.js';
import { errorBody } from '../../../shared/src/errors.js';
import { checkKey, KeySet } from '../../../shared/src/auth-keys.js';

export interface StatusBody {
  configVersion: string;
  snapshotVersion: number;
  clusters: Array<{
    name: string;
    balancer: string;
    endpoints: Array<{ name: string; url: string; status: 'healthy' | 'unhealthy' | 'unknown'; latencyMs: number; lastCheck: string | null; ejected: boolean; inFlight: number; saturated: boolean }>;
  }>;
  dataPlanes: Array<{ id: string; transport: 'grpc' | 'redis' | 'in-process'; snapshotVersion: number; connectedAt: string }>;
}

/** The status document of SPEC §4, without the dashboard-only load fields. */
export function specStatus(body: StatusBody) {
  return {
    ...body,
    clusters: body.clusters.map((c) => ({
      ...c,
      endpoints: c.endpoints.map(({ name, url, status, latencyMs, lastCheck, ejected }) => ({ name, url, status, latencyMs, lastCheck, ejected })),
    })),
  };
}

export type AdminEvent =
  | { type: 'health'; data: { cluster: string; endpoint: string; status: 'healthy' | 'unhealthy' | 'unknown'; latencyMs: number; at: string } }
  | { type: 'snapshot'; data: { version: number } };

export interface ControlPlaneRoutesOptions {
  status: () => StatusBody;
  /** Clears first-success decisions on every data plane (a new snapshot). */
  clearRouteCache: () => void;
  /** Gateway keys currently configured; DELETE /api/route-cache needs one when any is set. */
  gatewayKeys: () => readonly string[];
  events: Channel<AdminEvent>;
  /** Comment line sent to idle SSE clients so proxies keep the stream (default 15 s). */
  keepAliveMs?: number;
}

export function registerControlPlaneRoutes(app: FastifyInstance, options: ControlPlaneRoutesOptions): void {
  // Exactly SPEC §4's shape; the dashboard also reads the in-flight and saturation reports.
  app.get('/api/status', async (_request, reply) => reply.header('cache-control', 'no-store').send(specStatus(options.status())));

  app.delete('/api/route-cache', async (request, reply) => {
    const keys = options.gatewayKeys();
    if (keys.length > 0 && !checkKey(new KeySet(keys), request.headers).ok) {
      return reply.code(401).type('application/json; charset=utf-8').send(errorBody('unauthorized', 'missing or invalid API key', String(request.id)));
    }
    options.clearRouteCache();
    return reply.code(204).send();
  });

  const open = new Set<ServerResponse>();
  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write(': portico control plane events\n\n');
    open.add(res);
    const unsubscribe = options.events.subscribe((event) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), options.keepAliveMs ?? 15_000);
    ping.unref();
    const done = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(res);
    };
    request.raw.socket.on('close', done);
    res.on('close', done);
  });
  // Event streams never end on their own; end them so close() does not wait for clients.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
}

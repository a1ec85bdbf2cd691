// Data-plane wiring only: the snapshot store, the traffic listener and its drain. Snapshots come
// from whoever calls applySnapshot (in-process control plane, gRPC or Redis subscriber).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PorticoError } from '../../shared/src/errors.js';
import { requestIdOf } from './proxy/request-id.js';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../shared/src/logger.js';
import type { HostPort } from '../../shared/src/address.js';
import type { DataPlaneMetrics } from '../../shared/src/metrics.js';
import type { Snapshot } from '../../shared/src/snapshot/types.js';
import { createTrafficHandler } from './proxy/handler.js';
import { directAccessLog } from './proxy/access-log.js';
import { Observer } from './proxy/observe.js';
import { rawErrorResponse, sendError } from './proxy/respond.js';
import { SnapshotStore } from './state/store.js';
import { RouteCacheHolder, routeCacheSettings } from './state/route-cache.js';
import { createUpgradeHandler, TunnelRegistry } from './proxy/upgrade.js';
import { FastPath } from './http1/fast-connections.js';

export interface DataPlaneOptions {
  listen: HostPort;
  logger: Logger;
  metrics: DataPlaneMetrics;
  /** Longest a drain waits for in-flight requests (ms). */
  drainTimeoutMs: number;
  /** Time a client has to send its request headers (ms); default 15 s. */
  headersTimeoutMs?: number;
  /** This plane's identity (its share of fleet-wide limits is looked up by it). */
  id?: string;
  /** Worker `index` of `count` sharing this plane's identity (and its limit shares). */
  workerSlot?: { index: number; count: number };
  clock?: () => number;
  random?: () => number;
}

// The parser's own limit; the configured gateway.maxHeaderSize (up to this) is checked per request.
export const PARSER_MAX_HEADER_SIZE = 256 * 1024;
// Responses announce it (Keep-Alive: timeout=5), on both the fast path and node:http.
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export class DataPlane {
  readonly store: SnapshotStore;
  private draining = false;
  /** Last steps of close(), after traffic has drained (route cache connections, ...). */
  readonly closers: Array<() => Promise<void>> = [];

  constructor(
    readonly server: Server,
    store: SnapshotStore,
    private readonly options: DataPlaneOptions,
    readonly tunnels: TunnelRegistry,
    private readonly fast: FastPath,
  ) {
    this.store = store;
  }

  get address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  isReady(): boolean {
    return this.store.current !== undefined && !this.draining;
  }

  isDraining(): boolean {
    return this.draining;
  }

  applySnapshot(snapshot: Snapshot, source: string): boolean {
    const installed = this.store.apply(snapshot);
    if (installed) {
      this.options.metrics.snapshotVersion.set(snapshot.version);
      this.options.logger.info({ version: snapshot.version, runId: snapshot.runId, source }, 'snapshot installed');
    }
    return installed;
  }

  /** Stop accepting, let in-flight requests finish up to the drain timeout, then cut the rest. */
  async close(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const server = this.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.fast.beginClose();
    const deadline = Date.now() + this.options.drainTimeoutMs;
    // Upgraded sockets keep server.close() waiting: tunnels close (1001) once HTTP has drained.
    const tunnelsClosed = this.tunnels.drain(server, deadline);
    const idleSweep = setInterval(() => {
      server.closeIdleConnections();
      this.fast.closeIdle();
    }, 50);
    const timedOut = new Promise<'timeout'>((resolve) => {
      const t = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      t.unref();
    });
    const outcome = await Promise.race([closed.then(() => 'closed' as const), timedOut]);
    clearInterval(idleSweep);
    if (outcome === 'timeout') {
      this.options.logger.warn('drain timeout: closing remaining connections');
      server.closeAllConnections();
      this.fast.closeAll();
      await closed;
    }
    await tunnelsClosed;
    await this.store.upstreams.close();
    for (const close of this.closers) await close();
  }
}

export async function startDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const store = new SnapshotStore(options.random ?? Math.random, options.clock ?? Date.now, options.id ?? 'local', options.workerSlot);
  const observer = new Observer(options.logger, options.metrics, directAccessLog(options.logger));
  let plane: DataPlane | undefined;
  const routeCache = new RouteCacheHolder();
  store.onChange((tables) => routeCache.update(routeCacheSettings(tables.snapshot)));
  const handler = createTrafficHandler({
    store,
    observer,
    routeCache,
    clock: options.clock ?? Date.now,
    isDraining: () => plane?.isDraining() ?? false,
  });
  const headersTimeoutMs = options.headersTimeoutMs ?? 15_000;
  const server = createServer({
    maxHeaderSize: PARSER_MAX_HEADER_SIZE,
    // A request without Host gets our JSON 400 from the handler, not node's empty one.
    requireHostHeader: false,
    // Slow-header clients are dropped (408); bodies may stream for as long as they keep moving.
    headersTimeout: headersTimeoutMs,
    // node checks the timeout on this interval (30 s by default, too coarse for slowloris).
    connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
    requestTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  }, handler);
  const fast = new FastPath(server, handler, { headersTimeoutMs, keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, type, message] =
      err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'request_timeout', 'request headers were not received in time']
      : [400, 'Bad Request', 'bad_request', 'malformed request'];
    socket.end(rawErrorResponse(status, reason, type, message));
  });
  // node answers an unknown Expect with an empty 417; answer in the §3.2 shape instead.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    sendError(res, new PorticoError('EXPECTATION_FAILED', `unsupported Expect: ${String(req.headers.expect).slice(0, 64)}`), requestIdOf(req));
  });
  const tunnels = new TunnelRegistry(options.metrics, options.logger);
  store.onChange((tables) => tunnels.snapshotInstalled(tables));
  server.on('upgrade', createUpgradeHandler({
    store, observer, logger: options.logger, tunnels, clock: options.clock ?? Date.now,
    isDraining: () => plane?.isDraining() ?? false, http: handler,
  }));
  plane = new DataPlane(server, store, options, tunnels, fast);
  plane.closers.push(() => routeCache.close());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  options.logger.info({ address: `${plane.address.address}:${plane.address.port}`, listener: 'traffic' }, 'listening');
  return plane;
}

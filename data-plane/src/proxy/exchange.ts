// One request's state across its phases. A class whose fields are all set in the constructor,
// so every exchange has the same V8 shape (STYLE.md §11).
// The import, not the global: node's global `performance` is an accessor, a getter call per read.
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PickContext } from '../balance/picker.js';
import type { CompiledCluster, CompiledEndpoint, CompiledRoute, Tables } from '../state/tables.js';
import { clientIp, socketIp } from './client-ip.js';
import type { HeldResponse } from './forward-http.js';
import type { BufferedBody } from './request-body.js';

/** What every exchange has, HTTP or WebSocket upgrade: the request and where it is going. */
export class BaseExchange implements PickContext {
  route: CompiledRoute | undefined = undefined;
  cluster: CompiledCluster | undefined = undefined;
  endpoint: CompiledEndpoint | undefined = undefined;
  path = '';
  query = '';
  attempts = 0;
  tried: CompiledEndpoint[] | undefined = undefined;
  /** Headers the gateway consumed (the gateway key). */
  strip: ReadonlySet<string> | undefined = undefined;
  readonly start: number;
  readonly now: number;
  readonly clientIp: string;
  readonly directIp: string;

  constructor(
    readonly req: IncomingMessage,
    readonly requestId: string,
    readonly tables: Tables,
    clock: () => number,
  ) {
    this.start = performance.now();
    this.now = clock();
    this.directIp = socketIp(req);
    this.clientIp = clientIp(req, this.directIp, tables.trustProxy);
  }
}

/** An HTTP exchange. */
export class Exchange extends BaseExchange {
  upstreamStart = 0;
  upstreamMs = 0;
  bytesIn = 0;
  corsHeaders: string[] | undefined = undefined;
  /** The request body when a feature buffered it (payload match, replay). */
  body: BufferedBody | undefined = undefined;
  /** first-success: route-cache key and the remembered winner. */
  cacheKey: string | undefined = undefined;
  preferred: CompiledEndpoint | undefined = undefined;
  /** The last non-2xx response held back while other endpoints were tried. */
  lastHeld: HeldResponse | undefined = undefined;

  constructor(
    req: IncomingMessage,
    readonly res: ServerResponse,
    requestId: string,
    tables: Tables,
    clock: () => number,
  ) {
    super(req, requestId, tables, clock);
  }
}

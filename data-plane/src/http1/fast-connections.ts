// The traffic listener's fast path. node:http spends about a quarter of a proxied 1 KiB request
// building IncomingMessage/ServerResponse machinery (bench: a net + undici proxy reached 1.24x a
// node:http + undici one). Connections start here: complete, body-less HTTP/1.1 requests are
// parsed by request-head.ts and answered through FastResponse; the first request that is anything
// else hands the socket, with its unread bytes, to node:http for the rest of its life.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { rawErrorResponse } from '../proxy/respond.js';
import { FastResponse, type ResponseOwner } from './fast-response.js';
import { parseRequestHead, type RequestHead } from './request-head.js';

export type TrafficHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The request half: the IncomingMessage fields the handler reads. Its body is always empty. */
class FastRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]>;
  readonly rawHeaders: string[];
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly complete = true;

  constructor(head: RequestHead, readonly socket: Socket) {
    this.method = head.method;
    this.url = head.url;
    this.headers = head.headers;
    this.rawHeaders = head.rawHeaders;
  }
}

/** Past this many unread bytes behind an in-flight request, the socket stops being read. */
const MAX_PENDING = 64 * 1024;

export interface FastPathOptions {
  /** A new connection's time to send its first request (ms); then 408, as node:http. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs: number;
}

export class FastPath {
  private readonly connections = new Set<FastConnection>();
  closing = false;
  /** What keep-alive responses announce, as node:http words it. */
  readonly keepAliveHeaders: string;
  private readonly nodeListeners: Array<(socket: Socket) => void>;

  /** Takes over `server`'s connections; node:http keeps the ones handed to it. */
  constructor(readonly server: Server, readonly handler: TrafficHandler, readonly options: FastPathOptions) {
    this.keepAliveHeaders = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(options.keepAliveTimeoutMs / 1000)}\r\n`;
    this.nodeListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => {
      this.connections.add(new FastConnection(this, socket));
    });
  }

  handOver(conn: FastConnection, socket: Socket, unread: Buffer | null): void {
    this.connections.delete(conn);
    for (const listener of this.nodeListeners) listener.call(this.server, socket);
    if (unread !== null) socket.emit('data', unread);
  }

  closed(conn: FastConnection): void {
    this.connections.delete(conn);
  }

  /** Drain: later responses say Connection: close; idle connections close now. */
  beginClose(): void {
    this.closing = true;
    this.closeIdle();
  }

  closeIdle(): void {
    for (const c of this.connections) if (c.idle()) c.socket.destroy();
  }

  closeAll(): void {
    for (const c of this.connections) c.socket.destroy();
  }
}

class FastConnection implements ResponseOwner {
  private pending: Buffer | null = null;
  private res: FastResponse | null = null;
  private fresh = true;
  private readonly next = (): void => this.serveNext();
  /** The socket listeners while the fast path owns the connection; handOver() removes them all. */
  private readonly listeners: ReadonlyArray<[string, (chunk: Buffer) => void]> = [
    ['data', (chunk: Buffer): void => this.received(chunk)],
    ['end', (): void => this.ended()],
    ['close', (): void => this.socketClosed()],
    ['timeout', (): void => this.timedOut()],
    ['drain', (): void => this.drained()],
    ['error', ignore],
  ];

  constructor(private readonly path: FastPath, readonly socket: Socket) {
    for (const [event, listener] of this.listeners) socket.on(event, listener);
    socket.setTimeout(path.options.headersTimeoutMs);
  }

  idle(): boolean {
    return this.res === null;
  }

  connectionHeaders(): string {
    return this.path.closing ? 'Connection: close\r\n' : this.path.keepAliveHeaders;
  }

  responseEnded(res: FastResponse): void {
    if (this.res !== res) return;
    this.res = null;
    if (res.destroyed) return;
    if (this.path.closing) {
      this.socket.end();
      return;
    }
    if (this.pending !== null) {
      if (this.socket.isPaused()) this.socket.resume();
      process.nextTick(this.next);
    }
  }

  private received(chunk: Buffer): void {
    const pending = this.pending;
    this.pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
    if (this.res !== null) {
      if (this.pending.length > MAX_PENDING) this.socket.pause();
      return;
    }
    this.serveNext();
  }

  private serveNext(): void {
    const buf = this.pending;
    if (buf === null || this.res !== null || this.socket.destroyed) return;
    const head = parseRequestHead(buf);
    if (head === undefined) {
      this.handOver();
      return;
    }
    this.pending = head.length === buf.length ? null : buf.subarray(head.length);
    if (this.fresh) {
      this.fresh = false;
      this.socket.setTimeout(this.path.options.keepAliveTimeoutMs);
    }
    const res = new FastResponse(this, head.method === 'HEAD');
    this.res = res;
    this.path.handler(new FastRequest(head, this.socket) as unknown as IncomingMessage, res as unknown as ServerResponse);
  }

  private handOver(): void {
    const socket = this.socket;
    for (const [event, listener] of this.listeners) socket.removeListener(event, listener);
    socket.setTimeout(0);
    const unread = this.pending;
    this.pending = null;
    this.path.handOver(this, socket, unread);
  }

  /** The client sent FIN: like node:http (no httpAllowHalfOpen), an in-flight request is abandoned. */
  private ended(): void {
    this.socket.end();
  }

  private socketClosed(): void {
    this.path.closed(this);
    const res = this.res;
    this.res = null;
    if (res !== null && !res.writableFinished) res.clientClosed();
  }

  /** Socket idle: ignored while a request is in flight (the upstream has its own timeouts). */
  private timedOut(): void {
    if (this.res !== null) return;
    if (this.fresh) {
      this.socket.end(rawErrorResponse(408, 'Request Timeout', 'request_timeout', 'request headers were not received in time'));
    } else {
      this.socket.destroy();
    }
  }

  private drained(): void {
    const res = this.res;
    if (res !== null && res.needDrain) {
      res.needDrain = false;
      res.emit('drain');
    }
  }
}

function ignore(): void {}

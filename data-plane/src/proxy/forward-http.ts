// Forwards one HTTP request to one upstream and streams the answer into the client response.
// It uses undici's native dispatch handler (raw header buffers, no intermediate streams or
// promises), so a request costs one handler object and a couple of closures.
//
// A response may be *held* instead of streamed (buffered up to a limit, nothing written): the
// caller then decides whether to deliver it, transformed or not, or to try another endpoint
// (retries on 502/503, first-success). A held response that outgrows the limit is released:
// written as it streams, and no longer replaceable.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errors, type Dispatcher } from 'undici';
import { upstreamDeadlines, type Expiring } from './deadlines.js';
import { mapUpstreamError, type MappedUpstreamError } from './upstream-errors.js';

export interface UpstreamRequest {
  method: string;
  /** Origin-form path with query, already normalised: never chosen by the client's Host. */
  path: string;
  /** Flat [name, value, ...]. */
  headers: string[];
  body: IncomingMessage | AsyncIterable<Buffer> | string | Buffer | null;
  /** Until response headers, from the request's start and each request body chunk sent (ms; 0: none). */
  headersTimeout: number;
  /** Between response body chunks, not counting time paused by a slow client (ms; 0: none). */
  idleTimeout: number;
}

export type BodyTransform = (body: Buffer) => Buffer | undefined;

export interface HeldResponse {
  status: number;
  headers: string[];
  body: Buffer;
  transform: BodyTransform | undefined;
}

export interface Hold {
  /** Applied to the whole body when the held response is delivered. */
  transform: BodyTransform | undefined;
}

export interface ForwardCallbacks {
  /** Upstream status and raw headers -> the header list sent to the client. */
  responseHeaders(status: number, raw: Buffer[]): string[];
  /** Return a Hold to buffer this response instead of streaming it. */
  hold?(status: number, headers: string[]): Hold | undefined;
  /** Largest held body; beyond it the response is released and streamed. */
  maxHeld?: number;
  /**
   * The exchange is over. `failure` is set when it did not complete; `headersSent` tells whether
   * the client already has a status line; `held` is the complete held response, if any (the
   * caller must deliver it or answer otherwise).
   */
  done(status: number, bytesOut: number, failure: MappedUpstreamError | undefined, headersSent: boolean, held: HeldResponse | undefined): void;
}

// Streaming content types are flushed at once and never held back (SPEC §3.1). Only names of the
// two lengths that matter are lower-cased.
function isStreaming(headers: string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === 12) {
      if (name.toLowerCase() !== 'content-type') continue;
      const v = headers[i + 1]!.toLowerCase();
      if (v.startsWith('text/event-stream') || v.startsWith('application/x-ndjson')) return true;
    } else if (name.length === 17 && name.toLowerCase() === 'x-accel-buffering' && headers[i + 1]!.toLowerCase() === 'no') {
      return true;
    }
  }
  return false;
}

class ForwardHandler implements Dispatcher.DispatchHandler, Expiring {
  deadline = Infinity;
  expiringPrev: Expiring | undefined = undefined;
  expiringNext: Expiring | undefined = undefined;
  private abortUpstream: ((err?: Error) => void) | undefined = undefined;
  private status = 0;
  private bytesOut = 0;
  private finished = false;
  private hold: Hold | undefined = undefined;
  private held: Buffer[] | undefined = undefined;
  private headers: string[] | undefined = undefined;
  private onClientClose: () => void;
  private resume: (() => void) | undefined = undefined;
  /** Made at the first pause only: most responses never fill the client's socket buffer. */
  private onDrain: (() => void) | undefined = undefined;

  constructor(
    private res: ServerResponse,
    private callbacks: ForwardCallbacks,
    private readonly headersMs: number,
    private readonly idleMs: number,
  ) {
    // `req.on('close')` fires once the body is read; only the response tells that the client left.
    this.onClientClose = () => {
      if (!this.res.writableFinished) this.abortUpstream?.();
    };
    // `on`, not `once` (no wrapper per request): finish() removes it either way.
    res.on('close', this.onClientClose);
  }

  /** undici is about to write the request: the headers timeout starts (as undici's own did). */
  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.res.destroyed) {
      abort();
      return;
    }
    if (this.headersMs > 0) this.deadline = performance.now() + this.headersMs;
    upstreamDeadlines.add(this);
  }

  /** An upload that progresses is not a silent upstream: each chunk restarts the headers timeout. */
  onBodySent(): void {
    if (this.status === 0 && this.headersMs > 0) this.deadline = performance.now() + this.headersMs;
  }

  expire(): void {
    this.abortUpstream?.(this.status === 0 ? new errors.HeadersTimeoutError() : new errors.BodyTimeoutError());
  }

  /** The idle timeout (re)starts: response headers arrived, a chunk arrived, the client drained. */
  private idleFromNow(): void {
    if (this.idleMs === 0) {
      this.deadline = Infinity;
      return;
    }
    const at = performance.now() + this.idleMs;
    // Later than the deadline it replaces, except when headers arrive sooner than idleMs before
    // the headers deadline or after a pause: only then can the timer be armed too late.
    if (at < this.deadline) upstreamDeadlines.due(at);
    this.deadline = at;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx interim responses are not relayed
    this.status = statusCode;
    this.idleFromNow();
    const headers = this.callbacks.responseHeaders(statusCode, rawHeaders);
    const res = this.res;
    this.resume = resume;
    const streaming = isStreaming(headers);
    this.hold = streaming ? undefined : this.callbacks.hold?.(statusCode, headers);
    if (this.hold !== undefined) {
      this.held = [];
      this.headers = headers;
      return true;
    }
    res.writeHead(statusCode, headers);
    if (streaming) res.flushHeaders();
    return true;
  }

  /** Too large to hold: send what was held and stream the rest unchanged. */
  private release(): void {
    this.res.writeHead(this.status, this.headers);
    for (const c of this.held!) this.res.write(c);
    this.held = undefined;
    this.hold = undefined;
  }

  onData(chunk: Buffer): boolean {
    this.bytesOut += chunk.length;
    if (this.idleMs > 0) this.deadline = performance.now() + this.idleMs;
    if (this.held !== undefined) {
      this.held.push(chunk);
      if (this.bytesOut > (this.callbacks.maxHeld ?? 0)) this.release();
      return true;
    }
    // false pauses undici until 'drain' calls resume: the client's pace sets the upstream's. The
    // listener is added only then: most responses never fill the socket's buffer.
    if (this.res.write(chunk)) return true;
    // Time paused by the client is not the upstream's silence.
    this.deadline = Infinity;
    this.res.once('drain', (this.onDrain ??= () => {
      this.idleFromNow();
      this.resume?.();
    }));
    return false;
  }

  onComplete(trailers: string[] | Buffer[] | null): void {
    const res = this.res;
    if (this.held !== undefined) {
      const held: HeldResponse = { status: this.status, headers: this.headers!, body: Buffer.concat(this.held), transform: this.hold!.transform };
      this.held = undefined;
      this.finish(undefined, held);
      return;
    }
    // writeHead() with a header list stores nothing getHeader() can read: ask the response
    // itself whether it is chunked (trailers exist only there).
    if (trailers && trailers.length > 0 && res.chunkedEncoding) {
      const t: Record<string, string> = {};
      for (let i = 0; i < trailers.length; i += 2) t[String(trailers[i])] = String(trailers[i + 1]);
      res.addTrailers(t);
    }
    // The upstream is done: neither a client close nor a deadline may abort it now.
    this.abortUpstream = undefined;
    upstreamDeadlines.remove(this);
    endings.push(this);
    if (endings.length === 1) setImmediate(endAll);
  }

  /** The client response ends; called from endAll(). */
  end(): void {
    this.res.end();
    this.finish(undefined, undefined);
  }

  onError(err: Error): void {
    const mapped = mapUpstreamError(this.res.destroyed ? Object.assign(err, { code: 'UND_ERR_ABORTED' }) : err);
    // After the status line the only honest signal left is a cut connection.
    if (this.res.headersSent && !mapped.clientGone) this.res.destroy(err);
    this.held = undefined;
    this.finish(mapped, undefined);
  }

  private finish(failure: MappedUpstreamError | undefined, held: HeldResponse | undefined): void {
    if (this.finished) return;
    this.finished = true;
    upstreamDeadlines.remove(this);
    this.res.removeListener('close', this.onClientClose);
    this.callbacks.done(this.status, this.bytesOut, failure, this.res.headersSent, held);
    this.dropReferences();
  }

  /**
   * undici keeps a completed handler reachable for a while; without this, each one held its
   * exchange (request, response, header arrays) past two scavenges into old space: under load the
   * heap grew ~2 MB per scavenge and 8-12 ms scavenges made the p99 (bench notes, issue 2).
   * No callback runs after finish(), so the references can go.
   */
  private dropReferences(): void {
    this.res = RELEASED as ServerResponse;
    this.callbacks = RELEASED as ForwardCallbacks;
    this.onClientClose = noop;
    this.abortUpstream = undefined;
    this.resume = undefined;
    this.onDrain = undefined;
    this.headers = undefined;
    this.hold = undefined;
  }
}

// Responses that complete in one event-loop turn end together, after the turn's I/O callbacks,
// instead of each inside undici's parser callback. The bytes are already on their way (node's
// write() corks the socket and uncorks it on the next tick; end() adds only a chunked
// terminator or trailers); what moves is end()'s bookkeeping ('finish', the server's
// next-request handling, the logging phase). Under load a turn completes ~16 responses, and
// ending them in one batch cost ~5% less CPU per request: interleaved rounds of wrk -c50 on the
// 1 KiB route, lower in 11 of 12 rounds; same syscalls per request (strace), fixed-rate p99
// unchanged within noise (bench notes, issue 2). Two arrays, swapped: no garbage per turn.
let endings: ForwardHandler[] = [];
let spare: ForwardHandler[] = [];
function endAll(): void {
  const batch = endings;
  endings = spare;
  for (let i = 0; i < batch.length; i++) batch[i]!.end();
  batch.length = 0;
  spare = batch;
}

const RELEASED: unknown = Object.freeze({});
const noop = (): void => undefined;

/** Writes a held response, applying its transform; returns the body length sent. */
export function deliverHeld(res: ServerResponse, held: HeldResponse): number {
  const body = held.transform?.(held.body) ?? held.body;
  const headers: string[] = [];
  for (let i = 0; i < held.headers.length; i += 2) {
    const name = held.headers[i]!.toLowerCase();
    if (name !== 'content-length' && name !== 'transfer-encoding') headers.push(held.headers[i]!, held.headers[i + 1]!);
  }
  headers.push('content-length', String(body.length));
  res.writeHead(held.status, headers);
  res.end(body);
  return body.length;
}

export function forwardHttp(
  dispatcher: Dispatcher,
  upstream: UpstreamRequest,
  res: ServerResponse,
  callbacks: ForwardCallbacks,
): void {
  const handler = new ForwardHandler(res, callbacks, upstream.headersTimeout, upstream.idleTimeout);
  dispatcher.dispatch(
    {
      method: upstream.method as Dispatcher.HttpMethod,
      path: upstream.path,
      headers: upstream.headers,
      body: upstream.body as Dispatcher.DispatchOptions['body'],
      // The handler keeps both timeouts itself (deadlines.ts).
      headersTimeout: 0,
      bodyTimeout: 0,
    },
    handler,
  );
}

// Forwards one HTTP request to one upstream and streams the answer into the client response.
// It uses undici's native dispatch handler (raw header buffers, no intermediate streams or
// promises), so a request costs one handler object and a couple of closures.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { mapUpstreamError, type MappedUpstreamError } from './upstream-errors.js';

export interface UpstreamRequest {
  method: string;
  /** Origin-form path with query, already normalised: never chosen by the client's Host. */
  path: string;
  /** Flat [name, value, ...]. */
  headers: string[];
  body: IncomingMessage | string | Buffer | null;
  /** Until response headers (ms). */
  headersTimeout: number;
  /** Between body chunks (ms). */
  idleTimeout: number;
}

export type BodyTransform = (body: Buffer) => Buffer | undefined;

export interface ForwardCallbacks {
  /** Upstream status and raw headers -> the header list sent to the client. */
  responseHeaders(status: number, raw: Buffer[]): string[];
  /**
   * Optional: a transform for this response's whole body (e.g. OpenAPI rewriting). The body is
   * then buffered up to `maxBuffered` bytes; a larger one is sent unchanged as it streams.
   */
  transformBody?(status: number, headers: string[]): BodyTransform | undefined;
  maxBuffered?: number;
  /**
   * The exchange is over. `failure` is set when it did not complete; `headersSent` tells whether
   * the client already has a status line (when false the caller still owns the response and may
   * retry or answer with an error).
   */
  done(status: number, bytesOut: number, failure: MappedUpstreamError | undefined, headersSent: boolean): void;
}

// Streaming content types are flushed at once and never held back (SPEC §3.1).
function isStreaming(headers: string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const n = headers[i]!.toLowerCase();
    if (n === 'content-type') {
      const v = headers[i + 1]!.toLowerCase();
      if (v.startsWith('text/event-stream') || v.startsWith('application/x-ndjson')) return true;
    } else if (n === 'x-accel-buffering' && headers[i + 1]!.toLowerCase() === 'no') {
      return true;
    }
  }
  return false;
}

class ForwardHandler implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | undefined = undefined;
  private status = 0;
  private bytesOut = 0;
  private finished = false;
  private transform: BodyTransform | undefined = undefined;
  private held: Buffer[] | undefined = undefined;
  private heldHeaders: string[] | undefined = undefined;
  private readonly onClientClose: () => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly callbacks: ForwardCallbacks,
  ) {
    // `req.on('close')` fires once the body is read; only the response tells that the client left.
    this.onClientClose = () => {
      if (!this.res.writableFinished) this.abortUpstream?.();
    };
    res.once('close', this.onClientClose);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.res.destroyed) abort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx interim responses are not relayed
    this.status = statusCode;
    const headers = this.callbacks.responseHeaders(statusCode, rawHeaders);
    const res = this.res;
    res.on('drain', resume);
    this.transform = this.callbacks.transformBody?.(statusCode, headers);
    if (this.transform !== undefined) {
      this.held = [];
      this.heldHeaders = headers;
      return true;
    }
    res.writeHead(statusCode, headers);
    if (isStreaming(headers)) res.flushHeaders();
    return true;
  }

  /** Too large to transform: send what was held and stream the rest unchanged. */
  private release(): void {
    this.res.writeHead(this.status, this.heldHeaders);
    for (const c of this.held!) this.res.write(c);
    this.held = undefined;
    this.transform = undefined;
  }

  onData(chunk: Buffer): boolean {
    this.bytesOut += chunk.length;
    if (this.held !== undefined) {
      this.held.push(chunk);
      if (this.bytesOut > (this.callbacks.maxBuffered ?? 0)) this.release();
      return true;
    }
    // false pauses undici until 'drain' calls resume: the client's pace sets the upstream's.
    return this.res.write(chunk);
  }

  onComplete(trailers: string[] | Buffer[] | null): void {
    const res = this.res;
    if (this.held !== undefined) {
      const original = Buffer.concat(this.held);
      const body = this.transform!(original) ?? original;
      const headers = this.heldHeaders!.filter((_, i, all) => {
        const name = all[i - (i % 2)]!.toLowerCase();
        return name !== 'content-length' && name !== 'transfer-encoding';
      });
      headers.push('content-length', String(body.length));
      res.writeHead(this.status, headers);
      res.end(body);
      this.bytesOut = body.length;
      this.finish(undefined);
      return;
    }
    if (trailers && trailers.length > 0 && res.getHeader('transfer-encoding') !== undefined) {
      const t: Record<string, string> = {};
      for (let i = 0; i < trailers.length; i += 2) t[String(trailers[i])] = String(trailers[i + 1]);
      res.addTrailers(t);
    }
    res.end();
    this.finish(undefined);
  }

  onError(err: Error): void {
    const mapped = mapUpstreamError(this.res.destroyed ? Object.assign(err, { code: 'UND_ERR_ABORTED' }) : err);
    // After the status line the only honest signal left is a cut connection.
    if ((this.res.headersSent || this.held !== undefined) && !mapped.clientGone) this.res.destroy(err);
    this.finish(mapped);
  }

  private finish(failure: MappedUpstreamError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.res.removeListener('close', this.onClientClose);
    this.callbacks.done(this.status, this.bytesOut, failure, this.res.headersSent);
  }
}

export function forwardHttp(
  dispatcher: Dispatcher,
  upstream: UpstreamRequest,
  res: ServerResponse,
  callbacks: ForwardCallbacks,
): void {
  const handler = new ForwardHandler(res, callbacks);
  dispatcher.dispatch(
    {
      method: upstream.method as Dispatcher.HttpMethod,
      path: upstream.path,
      headers: upstream.headers,
      body: upstream.body,
      headersTimeout: upstream.headersTimeout,
      bodyTimeout: upstream.idleTimeout,
    },
    handler,
  );
}

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

export interface ForwardCallbacks {
  /** Upstream status and raw headers -> the header list sent to the client. */
  responseHeaders(status: number, raw: Buffer[]): string[];
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
    res.writeHead(statusCode, headers);
    if (isStreaming(headers)) res.flushHeaders();
    res.on('drain', resume);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytesOut += chunk.length;
    // false pauses undici until 'drain' calls resume: the client's pace sets the upstream's.
    return this.res.write(chunk);
  }

  onComplete(trailers: string[] | Buffer[] | null): void {
    const res = this.res;
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
    if (this.res.headersSent && !mapped.clientGone) this.res.destroy(err);
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

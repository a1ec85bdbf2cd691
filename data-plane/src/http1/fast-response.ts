// The response half of the fast path: the part of node's ServerResponse that Portico's handler
// uses (writeHead, write, end, flushHeaders, trailers, 'drain' and 'close'), writing straight to
// the socket. The bytes match node:http's: its Date, Connection and Keep-Alive headers, chunked
// framing when there is no Content-Length, no body for HEAD, 1xx, 204 and 304.
import { EventEmitter } from 'node:events';
import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { BAD_VALUE, TOKEN } from './request-head.js';


/** What the response tells its connection. */
export interface ResponseOwner {
  readonly socket: Socket;
  /** The Connection (and Keep-Alive) header lines, CRLF-terminated: close once the listener drains. */
  connectionHeaders(): string;
  responseEnded(res: FastResponse): void;
}

export class FastResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableFinished = false;
  destroyed = false;
  chunkedEncoding = false;
  /** Set when a write filled the socket buffer; the connection emits 'drain' once. */
  needDrain = false;
  readonly socket: Socket;
  private head = '';
  private headWritten = false;
  private hasBody: boolean;
  private trailers = '';

  constructor(private readonly owner: ResponseOwner, isHead: boolean) {
    super();
    this.socket = owner.socket;
    this.hasBody = !isHead;
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders | readonly string[]): this {
    if (this.headersSent) throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    this.statusCode = status;
    if (status < 200 || status === 204 || status === 304) this.hasBody = false;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    let seen = 0;
    if (Array.isArray(headers)) {
      for (let i = 0; i < headers.length; i += 2) {
        const name = headers[i] as string;
        const value = headers[i + 1] as string;
        seen |= checkHeader(name, value);
        head += `${name}: ${value}\r\n`;
      }
    } else if (headers !== undefined) {
      for (const name in headers) {
        const value = (headers as OutgoingHttpHeaders)[name];
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [String(value)]) {
          seen |= checkHeader(name, v);
          head += `${name}: ${v}\r\n`;
        }
      }
    }
    let chunked = (seen & SAW_CHUNKED) !== 0;
    if ((seen & SAW_DATE) === 0) head += `Date: ${utcDate()}\r\n`;
    head += this.owner.connectionHeaders();
    if (this.hasBody && (seen & SAW_LENGTH) === 0 && !chunked) {
      head += 'Transfer-Encoding: chunked\r\n';
      chunked = true;
    }
    this.chunkedEncoding = chunked && this.hasBody;
    this.head = `${head}\r\n`;
    this.headersSent = true;
    return this;
  }

  /** Sends the head now (streaming responses): the client sees the status before the first chunk. */
  flushHeaders(): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (!this.headWritten && !this.destroyed) this.writeHeadBytes(this.socket);
  }

  write(chunk: Buffer | string): boolean {
    if (this.writableFinished || this.destroyed) return false;
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (!this.hasBody) return true;
    const socket = this.socket;
    // A chunk's three writes (size, data, CRLF) and the writes of one tick leave in one writev,
    // as node:http corks them.
    if (this.chunkedEncoding && !socket.writableCorked) {
      socket.cork();
      process.nextTick(uncork, socket);
    }
    return this.send(socket, chunk);
  }

  end(chunk?: Buffer | string): this {
    if (this.writableFinished) return this;
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.writableFinished = true;
    if (!this.destroyed) {
      const socket = this.socket;
      const corked = !socket.writableCorked;
      if (corked) socket.cork();
      if (chunk !== undefined && this.hasBody) this.send(socket, chunk);
      else if (!this.headWritten) this.writeHeadBytes(socket);
      if (this.chunkedEncoding) socket.write(`0\r\n${this.trailers}\r\n`, 'latin1');
      if (corked) socket.uncork();
    }
    this.owner.responseEnded(this);
    if (this.listenerCount('finish') > 0) this.emit('finish');
    if (this.listenerCount('close') > 0) this.emit('close');
    return this;
  }

  addTrailers(trailers: Record<string, string> | ReadonlyArray<[string, string]>): void {
    const pairs = Array.isArray(trailers) ? trailers : Object.entries(trailers);
    for (const [name, value] of pairs) {
      checkHeader(name, value);
      this.trailers += `${name}: ${value}\r\n`;
    }
  }

  destroy(err?: Error): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.socket.destroy(err);
    }
    return this;
  }

  /** The client went away before the response ended (node sets `destroyed` and emits 'close'). */
  clientClosed(): void {
    this.destroyed = true;
    this.emit('close');
  }

  private writeHeadBytes(socket: Socket): void {
    this.headWritten = true;
    socket.write(this.head, 'latin1');
  }

  private send(socket: Socket, chunk: Buffer | string): boolean {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let ok: boolean;
    if (this.chunkedEncoding) {
      if (!this.headWritten) this.writeHeadBytes(socket);
      if (data.length === 0) return true;
      socket.write(`${data.length.toString(16)}\r\n`, 'latin1');
      socket.write(data);
      ok = socket.write('\r\n', 'latin1');
    } else if (this.headWritten) {
      ok = socket.write(data);
    } else if (data.length <= JOIN_LIMIT) {
      // Head and a small first chunk as one buffer: one write, no writev bookkeeping.
      this.headWritten = true;
      const head = this.head;
      const joined = Buffer.allocUnsafe(head.length + data.length);
      joined.write(head, 0, 'latin1');
      data.copy(joined, head.length);
      ok = socket.write(joined);
    } else {
      socket.cork();
      this.writeHeadBytes(socket);
      ok = socket.write(data);
      socket.uncork();
    }
    if (!ok) this.needDrain = true;
    return ok;
  }
}

/** Largest first chunk copied behind the head (a copy costs less than a second buffer below this). */
const JOIN_LIMIT = 16 * 1024;

const SAW_DATE = 1;
const SAW_LENGTH = 2;
const SAW_CHUNKED = 4;

/** Rejects what node:http rejects in writeHead; tells which framing headers the line is. */
function checkHeader(name: string, value: string): number {
  if (!TOKEN.test(name)) throw Object.assign(new TypeError(`Header name must be a valid HTTP token ["${name}"]`), { code: 'ERR_INVALID_HTTP_TOKEN' });
  if (BAD_VALUE.test(value)) throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' });
  switch (name.length) {
    case 4:
      return name.toLowerCase() === 'date' ? SAW_DATE : 0;
    case 14:
      return name.toLowerCase() === 'content-length' ? SAW_LENGTH : 0;
    case 17:
      return name.toLowerCase() === 'transfer-encoding' && /\bchunked\b/i.test(value) ? SAW_CHUNKED : 0;
    default:
      return 0;
  }
}

function uncork(socket: Socket): void {
  socket.uncork();
}

// node:http's Date value, built at most once a second.
let dateSecond = -1;
let dateText = '';
function utcDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

// A small node:http client for tests that need full control of request headers (fetch forbids
// Connection, Keep-Alive, TE, Host...) and want raw response headers back.
import { request as httpRequestRaw, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** Flat [name, value, ...] as received. */
  rawHeaders: string[];
  body: Buffer;
  text(): string;
  json<T = Record<string, unknown>>(): T;
}

export interface HttpOptions {
  method?: string;
  /** Object, or a flat [name, value, ...] list (repeated names are sent as repeated lines). */
  headers?: Record<string, string | string[]> | string[];
  body?: string | Buffer | Readable;
  /** Fails the request when no complete answer arrived in time (default 10 s). */
  timeoutMs?: number;
}

/** Sends one request and collects the whole response. */
export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw(url, { method: options.method ?? 'GET', headers: Array.isArray(options.headers) ? {} : options.headers });
    // Node 20 takes no flat header list: repeated names go in as arrays (one line per value).
    if (Array.isArray(options.headers)) {
      const grouped = new Map<string, { name: string; values: string[] }>();
      for (let i = 0; i < options.headers.length; i += 2) {
        const name = options.headers[i]!;
        const entry = grouped.get(name.toLowerCase()) ?? { name, values: [] };
        entry.values.push(options.headers[i + 1]!);
        grouped.set(name.toLowerCase(), entry);
      }
      for (const { name, values } of grouped.values()) req.setHeader(name, values.length === 1 ? values[0]! : values);
    }
    const timer = setTimeout(() => req.destroy(new Error(`no complete response from ${url} in ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => { clearTimeout(timer); reject(err); });
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body,
          text: () => body.toString('utf8'),
          json: <T>() => JSON.parse(body.toString('utf8')) as T,
        });
      });
    });
    const body = options.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** Every value of a header in a flat raw list, by case-insensitive name. */
export function rawHeaderValues(raw: readonly string[], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) out.push(raw[i + 1]!);
  return out;
}

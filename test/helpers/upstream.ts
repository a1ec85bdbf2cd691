// Real backend servers on 127.0.0.1 with a free port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cleanup } from './cleanup.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

export interface Upstream {
  url: string;
  port: number;
  server: Server;
  /** Requests seen so far (bodies collected only by the default handler). */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Echoes method, url, headers and body length as JSON (the default handler). */
export const echo = (name = 'upstream'): UpstreamHandler => (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const out = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
    res.end(out);
  });
};

export async function startUpstream(t: Cleanup, handler: UpstreamHandler = echo(), port = 0): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.alloc(0) });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  t.after(close);
  return { url: `http://127.0.0.1:${actual}`, port: actual, server, seen, close };
}

/** A port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

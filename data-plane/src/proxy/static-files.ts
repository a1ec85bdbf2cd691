// `static` routes (SPEC §2): files under `root` with content types, ETag/Last-Modified, ranges
// (@fastify/send), compression when the client accepts it, and `spa: true` falling back to
// index.html. No path escapes root: the target is already dot-segment-normalised, send refuses
// ".." and NUL, and the real path (symlinks resolved) must stay under the real root.
import { realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sep } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { constants as zlib, createBrotliCompress, createGzip } from 'node:zlib';
import send from '@fastify/send';
import { errorBody, PorticoError } from '../../../shared/src/errors.js';

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml|wasm|manifest\+json)|image\/svg\+xml)/;
const MIN_COMPRESS_BYTES = 1024;

export interface StaticSite {
  root: string;
  spa: boolean;
}

export type StaticOutcome = { status: number; bytes: number } | PorticoError;

const realRoots = new Map<string, Promise<string>>();

function realRoot(root: string): Promise<string> {
  let p = realRoots.get(root);
  if (!p) {
    p = realpath(root).catch(() => root);
    realRoots.set(root, p);
  }
  return p;
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, site: StaticSite, relativePath: string, requestId: string): Promise<StaticOutcome> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return new PorticoError('METHOD_NOT_ALLOWED', 'static files answer GET and HEAD only');
  const options = { root: site.root, index: ['index.html'], dotfiles: 'ignore' as const, maxAge: 0 };
  // The path is still percent-encoded as the client sent it; send decodes it exactly once (and
  // refuses malformed escapes, NUL and ".." after decoding). Encoding it again made "%20" reach
  // the file system as a literal "%20".
  let result = await send(req, relativePath, options);
  if (result.type === 'error' && result.statusCode === 404 && site.spa) {
    result.stream.destroy();
    result = await send(req, '/index.html', options);
  }
  if (result.type === 'directory') {
    // A directory without index.html is not listed.
    result.stream.destroy();
    return new PorticoError('NO_ROUTE', 'not found');
  }
  if (result.type === 'error') {
    result.stream.destroy();
    if (result.statusCode === 416) return rangeNotSatisfiable(res, result.headers, requestId);
    return result.statusCode === 400 || result.statusCode === 403
      ? new PorticoError('BAD_REQUEST', 'invalid file path')
      : new PorticoError('NO_ROUTE', 'not found');
  }
  if (result.type === 'file') {
    const root = await realRoot(site.root);
    const real = await realpath(result.metadata.path).catch(() => '');
    if (real !== root && !real.startsWith(root + sep)) {
      result.stream.destroy();
      return new PorticoError('NO_ROUTE', 'not found');
    }
  }

  const headers: Record<string, string> = { 'x-request-id': requestId };
  for (const [name, value] of Object.entries(result.headers)) headers[name.toLowerCase()] = value;
  const encoding = result.statusCode === 200 ? pickEncoding(req, headers, result.type === 'file' ? result.metadata.stat.size : 0) : undefined;
  if (encoding === undefined) {
    res.writeHead(result.statusCode, headers);
    await sendStream(result.stream, res);
    return { status: result.statusCode, bytes: Number(headers['content-length'] ?? 0) };
  }
  delete headers['content-length'];
  headers['content-encoding'] = encoding;
  headers.vary = 'Accept-Encoding';
  if (headers.etag && !headers.etag.startsWith('W/')) headers.etag = `W/${headers.etag}`;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    result.stream.destroy();
    res.end();
    return { status: 200, bytes: 0 };
  }
  const compressor = encoding === 'br'
    ? createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })
    : createGzip({ level: 6 });
  await sendStream(pipeline(result.stream, compressor, () => undefined), res);
  return { status: 200, bytes: res.socket?.bytesWritten ?? 0 };
}

/** RFC 9110 §15.5.17: 416 with "Content-Range: bytes *\/<size>", in the §3.2 JSON shape. */
function rangeNotSatisfiable(res: ServerResponse, sendHeaders: Record<string, string>, requestId: string): StaticOutcome {
  const body = errorBody('range_not_satisfiable', 'requested range is not satisfiable', requestId);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'cache-control': 'no-store',
  };
  for (const [name, value] of Object.entries(sendHeaders)) if (name.toLowerCase() === 'content-range') headers['content-range'] = value;
  res.writeHead(416, headers);
  res.end(body);
  return { status: 416, bytes: Buffer.byteLength(body) };
}

function pickEncoding(req: IncomingMessage, headers: Record<string, string>, size: number): 'br' | 'gzip' | undefined {
  if (size < MIN_COMPRESS_BYTES || !COMPRESSIBLE.test(headers['content-type'] ?? '')) return undefined;
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accept)) return 'br';
  if (/\bgzip\b/.test(accept)) return 'gzip';
  return undefined;
}

/** The path under the route: the prefix is stripped for prefix routes. */
export function staticRelativePath(routePrefix: string | undefined, path: string): string {
  if (routePrefix === undefined || routePrefix === '/') return path;
  const p = routePrefix.replace(/\/+$/, '');
  const rest = path.slice(p.length);
  return rest === '' ? '/' : rest;
}

/**
 * Streams a file into the response with backpressure. Not stream.pipeline: the fast path's
 * response is not a node Writable. A client that leaves destroys the source.
 */
function sendStream(source: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      if (!res.writableFinished) source.destroy();
      resolve();
    };
    const resume = (): void => {
      source.resume();
    };
    source.on('data', (chunk: Buffer) => {
      if (!res.write(chunk)) {
        source.pause();
        res.once('drain', resume);
      }
    });
    source.once('end', () => {
      res.removeListener('close', onClose);
      res.end();
      resolve();
    });
    source.once('error', () => {
      res.removeListener('close', onClose);
      res.destroy();
      resolve();
    });
    res.once('close', onClose);
  });
}

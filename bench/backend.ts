// The benchmark's origin server: the same process serves every subject (direct, Portico, NGINX,
// @fastify/http-proxy) so that only the proxy in between differs. Started by bench/run.ts as a
// child process; prints one JSON line `{"port":N}` on stdout once it listens.
//
//   /1k      1 KiB body (Content-Length)
//   /1m      1 MiB body (Content-Length)
//   /sse     text/event-stream: first event at once, then SSE_EVENTS - 1 more, SSE_GAP_MS apart
//   /upload  consumes the request body, answers {"bytes":N,"sha256":"..."}
//   /health  200 (Portico's default health-check path)
import { createHash } from 'node:crypto';
import http from 'node:http';

const SSE_EVENTS = 4;
const SSE_GAP_MS = 5;

const body1k = Buffer.alloc(1024, 'a');
const body1m = Buffer.alloc(1024 * 1024, 'b');

function sendFixed(res: http.ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
}

function sendSse(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let sent = 0;
  const tick = (): void => {
    if (res.destroyed) return;
    res.write(`id: ${sent}\ndata: event ${sent}\n\n`);
    sent += 1;
    if (sent >= SSE_EVENTS) res.end();
    else setTimeout(tick, SSE_GAP_MS);
  };
  tick();
}

function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse): void {
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    hash.update(chunk);
  });
  req.on('end', () => {
    const out = JSON.stringify({ bytes, sha256: hash.digest('hex') });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
  req.on('error', () => res.destroy());
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?', 1)[0];
  switch (path) {
    case '/1k':
      sendFixed(res, body1k);
      break;
    case '/1m':
      sendFixed(res, body1m);
      break;
    case '/sse':
      sendSse(res);
      break;
    case '/upload':
      receiveUpload(req, res);
      break;
    case '/health':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
      break;
    default:
      res.writeHead(404, { 'content-length': 0 });
      res.end();
  }
});
// Longer than any proxy's idle pool timeout, so pooled upstream sockets are not closed under them.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.requestTimeout = 0;

server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const stop = (): void => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

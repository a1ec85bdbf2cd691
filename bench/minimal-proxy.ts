// Reference subject: the least a Node proxy can do, node:http in front of an undici Pool, streaming
// both ways with backpressure and nothing else (no routing, headers work, logging, metrics or
// timeouts). It shows, in the same run, what node:http + undici alone cost on this machine, so
// Portico's numbers can be read against Node's floor as well as against other proxies.
// Usage: node dist/bench/minimal-proxy.js <upstream-origin>; prints `{"port":N}` once listening.
import http from 'node:http';
import { Pool, type Dispatcher } from 'undici';

const upstream = process.argv[2];
if (upstream === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(upstream)) {
  process.stderr.write('usage: minimal-proxy.js http://127.0.0.1:PORT\n');
  process.exit(1);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const pool = new Pool(upstream);

function responseHeaders(raw: Buffer[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, raw[i + 1]!.toString('latin1'));
  }
  return out;
}

const server = http.createServer((req, res) => {
  const headers: Record<string, string | string[] | undefined> = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const handler: Dispatcher.DispatchHandler = {
    onConnect(abort) {
      res.once('close', () => {
        if (!res.writableFinished) abort();
      });
    },
    onHeaders(status, raw, resume) {
      res.writeHead(status, responseHeaders(raw as unknown as Buffer[]));
      res.on('drain', resume);
      return true;
    },
    onData(chunk) {
      return res.write(chunk);
    },
    onComplete() {
      res.end();
    },
    onError() {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-length': 0 }).end();
    },
  };
  pool.dispatch({ method: req.method as Dispatcher.HttpMethod, path: req.url ?? '/', headers, body: hasBody ? req : null }, handler);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr !== null ? addr.port : 0 })}\n`);
});

const stop = (): void => {
  server.close();
  void pool.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// Peer subject: the smallest Fastify app that proxies everything to one upstream with
// @fastify/http-proxy (undici under @fastify/reply-from), with Fastify's defaults (logger off).
// Usage: node dist/bench/fastify-proxy.js <upstream-origin>; prints `{"port":N}` once listening.
import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';

const upstream = process.argv[2];
if (upstream === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(upstream)) {
  process.stderr.write('usage: fastify-proxy.js http://127.0.0.1:PORT\n');
  process.exit(1);
}

const app = Fastify({ logger: false, requestTimeout: 0 });
await app.register(proxy, { upstream, prefix: '/', http2: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr !== null ? addr.port : 0 })}\n`);

const stop = (): void => {
  void app.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// A Fastify app with Portico as a library (the FastAPI reverse-proxy library's use case): a
// HealthChecker probes the backends, a least-latency LoadBalancer sends each request to the
// fastest healthy one, and the porticoProxy plugin mounts them under /api (HTTP and WebSockets).
// The app's own routes live next to the proxy. Build with `npx tsc -p tsconfig.json`, run with
// `node dist/examples/fastify-library/app.js`.
//
// In your own project, import from the package name instead:
//   import { HealthChecker, LoadBalancer, porticoProxy } from 'portico';
import Fastify from 'fastify';
import { HealthChecker, LoadBalancer, porticoProxy } from '../../data-plane/src/lib/index.js';

const backends = (process.env.BACKENDS ?? 'http://127.0.0.1:9001,http://127.0.0.1:9002').split(',').map((url) => url.trim());
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// Probe GET /health on every backend every 2 s; two failures in a row take one out of rotation.
const checker = new HealthChecker(backends, { path: '/health', interval: '2s', timeout: '1s', unhealthyThreshold: 2 });
checker.on('change', (s, previous) => app.log.info({ endpoint: s.name, from: previous, to: s.status }, 'backend health changed'));

// Least latency: probe latency refined by observed request latency; connect failures are retried
// once on another backend.
const balancer = new LoadBalancer({ endpoints: checker, balancer: 'least-latency', retries: 1, timeout: '30s' });

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } });

// Everything under /api goes to the backends with /api stripped, plus a header they can trust.
await app.register(porticoProxy, {
  prefix: '/api',
  loadBalancer: balancer,
  websocket: true,
  headers: { set: { 'x-proxied-by': 'fastify-library-example' }, remove: ['cookie'] },
});

// The app's own routes.
app.get('/status', async () => ({ backends: checker.status() }));

app.addHook('onClose', async () => {
  await balancer.close();
  await checker.close();
});

await checker.start(); // the first probe round, before the first request
const address = await app.listen({ host, port });
app.log.info({ address }, 'listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}

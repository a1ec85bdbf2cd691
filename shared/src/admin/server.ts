// The admin listener both planes share (SPEC §4): /healthz, /readyz, /metrics. Plane-specific
// routes (the control plane's dashboard and APIs) are registered on the returned instance.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { errorBody } from '../errors.js';

export interface AdminOptions {
  registry: Registry;
  /** Same rule as the data plane's /ready: a snapshot is loaded and the process is not draining. */
  isReady: () => boolean;
  /** Replaces the registry's own output, e.g. metrics aggregated over worker processes. */
  metrics?: () => Promise<string>;
}

export function createAdminServer(options: AdminOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    // Fastify's defaults leave slow clients unbounded (STACK.md).
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
  });
  app.setErrorHandler((error, request, reply) => {
    const err = error as { statusCode?: number; message: string };
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const type = status === 404 ? 'no_route' : status < 500 ? 'bad_request' : 'internal_error';
    void reply.code(status).type('application/json; charset=utf-8').send(errorBody(type, err.message, String(request.id)));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).type('application/json; charset=utf-8').send(errorBody('no_route', `no admin route for ${request.method} ${request.url}`, String(request.id)));
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = options.isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = options.metrics ? await options.metrics() : await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });
  return app;
}

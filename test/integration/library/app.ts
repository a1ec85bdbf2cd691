// A real Fastify app on a free loopback port, closed in cleanup.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Cleanup } from '../../helpers/cleanup.js';

export async function startApp(t: Cleanup, build: (app: FastifyInstance) => unknown): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  await build(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, url: `http://127.0.0.1:${address.port}` };
}

// Starts an admin Fastify instance and logs its bound address in the one "listening" shape.
import type { FastifyInstance } from 'fastify';
import type { HostPort } from '../shared/src/address.js';
import type { Logger } from '../shared/src/logger.js';

export async function listenAdmin(app: FastifyInstance, at: HostPort, logger: Logger): Promise<void> {
  await app.listen({ host: at.host, port: at.port });
  const a = app.server.address();
  logger.info({ address: typeof a === 'string' ? a : `${a?.address}:${a?.port}`, listener: 'admin' }, 'listening');
}

// `portico all`: the embedded default, both planes in one process with one admin listener.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { HostPort } from '../../shared/src/address.js';
import { createAdminServer } from '../../shared/src/admin/server.js';
import { createRegistry, dataPlaneMetrics } from '../../shared/src/metrics.js';
import { roundTrip } from '../../shared/src/snapshot/codec.js';
import { buildSnapshot } from '../../control-plane/src/snapshot/build.js';
import { startDataPlane } from '../../data-plane/src/main.js';
import { loadConfigOrExit, onShutdown, processLogger } from '../lifecycle.js';
import { opt, type CommonOptions } from '../options.js';

interface AllOptions extends CommonOptions {
  config: string;
  listen: HostPort;
  admin: HostPort;
  grpc: HostPort;
  drainTimeout: number;
}

export function registerAll(program: Command): void {
  program
    .command('all')
    .description('control plane and one data plane in one process (no Redis needed)')
    .addOption(opt.config())
    .addOption(opt.listen())
    .addOption(opt.admin('127.0.0.1:9901'))
    .addOption(opt.grpc())
    .addOption(opt.drainTimeout())
    .addOption(opt.logLevel())
    .action(async (options: AllOptions) => {
      const logger = processLogger(options);
      const loaded = loadConfigOrExit(options.config, logger);
      const registry = createRegistry('all');
      const dataPlane = await startDataPlane({
        listen: options.listen,
        logger,
        metrics: dataPlaneMetrics(registry),
        drainTimeoutMs: options.drainTimeout,
      });
      const snapshot = buildSnapshot(loaded.config, new Map(), {
        version: 1,
        runId: randomUUID(),
        configVersion: loaded.version,
        createdAt: new Date().toISOString(),
      });
      dataPlane.applySnapshot(roundTrip(snapshot), 'in-process');

      const admin = createAdminServer({ registry, isReady: () => dataPlane.isReady() });
      await admin.listen({ host: options.admin.host, port: options.admin.port });
      const a = admin.server.address();
      logger.info({ address: typeof a === 'string' ? a : `${a?.address}:${a?.port}`, listener: 'admin' }, 'listening');

      onShutdown(logger, options.drainTimeout, [() => dataPlane.close(), () => admin.close()]);
    });
}

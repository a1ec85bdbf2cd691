// `portico all`: the embedded default, both planes in one process with one admin listener. The
// control plane hands each version to the data plane in process (decoded from the same bytes a
// remote data plane receives) and still serves gRPC so more data planes can join.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { HostPort } from '../../shared/src/address.js';
import { createAdminServer } from '../../shared/src/admin/server.js';
import { controlPlaneMetrics, createRegistry, dataPlaneMetrics } from '../../shared/src/metrics.js';
import { decodeSnapshot } from '../../shared/src/snapshot/codec.js';
import { startControlPlane } from '../../control-plane/src/main.js';
import { startDataPlane } from '../../data-plane/src/main.js';
import { listenAdmin } from '../admin.js';
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
      // Order: data plane listener (not ready yet), control plane (publishes version 1 at once),
      // in-process handoff, admin listener.
      const dataPlane = await startDataPlane({
        listen: options.listen,
        logger,
        metrics: dataPlaneMetrics(registry),
        drainTimeoutMs: options.drainTimeout,
      });
      const controlPlane = await startControlPlane({
        loaded,
        env: process.env,
        logger,
        metrics: controlPlaneMetrics(registry),
        grpc: options.grpc,
      });
      const entry = controlPlane.attachDataPlane(`${hostname()}-${process.pid}`);
      const unsubscribe = controlPlane.subscribe((m) => {
        dataPlane.applySnapshot(decodeSnapshot(m.encoded), 'in-process');
        entry.snapshotVersion = m.version;
      });

      const admin = createAdminServer({ registry, isReady: () => dataPlane.isReady() });
      controlPlane.registerAdminRoutes(admin);
      await listenAdmin(admin, options.admin, logger);

      onShutdown(logger, options.drainTimeout, [
        () => dataPlane.close(),
        async () => {
          unsubscribe();
          controlPlane.detachDataPlane(entry);
        },
        () => controlPlane.close(),
        () => admin.close(),
      ]);
    });
}

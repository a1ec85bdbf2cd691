// `portico all`: the embedded default, both planes in one process with one admin listener. The
// control plane hands each version to the data plane in process (decoded from the same bytes a
// remote data plane receives) and still serves gRPC so more data planes can join.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { HostPort } from '../../shared/src/address.js';
import { createAdminServer } from '../../shared/src/admin/server.js';
import { controlPlaneMetrics, createRegistry, dataPlaneMetrics } from '../../shared/src/metrics.js';
import { decodeSnapshot } from '../../shared/src/snapshot/codec.js';
import { startControlPlane, type ControlPlane } from '../../control-plane/src/main.js';
import type { DataPlaneEntry } from '../../control-plane/src/publish/data-planes.js';
import { startDataPlane, type DataPlane } from '../../data-plane/src/main.js';
import { startLoadReporter } from '../../data-plane/src/sync/load-reporter.js';
import { listenAdmin } from '../admin.js';
import { loadConfigOrExit, onShutdown, processLogger } from '../lifecycle.js';
import { dataPlaneSettings, opt, type CommonOptions, type DataPlaneFlags } from '../options.js';

interface AllOptions extends CommonOptions, DataPlaneFlags {
  config: string;
  admin: HostPort;
  grpc: HostPort;
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
    .addOption(opt.headersTimeout())
    .addOption(opt.logLevel())
    .action(async (options: AllOptions) => {
      const logger = processLogger(options);
      const loaded = loadConfigOrExit(options.config, logger);
      const registry = createRegistry('all');
      // Order: data plane listener (not ready yet), control plane (publishes version 1 at once),
      // in-process handoff, admin listener.
      const id = `${hostname()}-${process.pid}`;
      // The drain is installed before anything listens, so SIGTERM during start-up drains too.
      let dataPlane: DataPlane | undefined;
      let controlPlane: ControlPlane | undefined;
      let entry: DataPlaneEntry | undefined;
      let unsubscribe: (() => void) | undefined;
      let stopReporter: (() => void) | undefined;
      const admin = createAdminServer({ registry, isReady: () => dataPlane?.isReady() ?? false });
      onShutdown(logger, options.drainTimeout, [
        async () => dataPlane?.close(),
        async () => {
          stopReporter?.();
          unsubscribe?.();
          if (entry) controlPlane?.detachDataPlane(entry);
        },
        async () => controlPlane?.close(),
        () => admin.close(),
      ], { sighupReloads: true });

      // Order: data plane listener (not ready yet), control plane (publishes version 1 at once),
      // in-process handoff, admin listener.
      dataPlane = await startDataPlane({ ...dataPlaneSettings(options, logger, dataPlaneMetrics(registry)), id });
      controlPlane = await startControlPlane({
        loaded,
        env: process.env,
        logger,
        metrics: controlPlaneMetrics(registry),
        grpc: options.grpc,
      });
      entry = controlPlane.attachDataPlane(id);
      const plane = dataPlane;
      const attached = entry;
      unsubscribe = controlPlane.subscribe((m) => {
        plane.applySnapshot(decodeSnapshot(m.encoded), 'in-process');
        attached.snapshotVersion = m.version;
      });

      const cp = controlPlane;
      const reporter = startLoadReporter({ tables: () => plane.store.current, clock: Date.now, send: (endpoints) => cp.acceptLoadReport(id, endpoints) });
      stopReporter = () => reporter.close();
      controlPlane.registerAdminRoutes(admin);
      await listenAdmin(admin, options.admin, logger);
    });
}

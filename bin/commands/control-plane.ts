// `portico control-plane`: probes, builds snapshots and publishes them over gRPC (and Redis when
// configured); admin listener with /api/status and /api/events.
import type { Command } from 'commander';
import type { HostPort } from '../../shared/src/address.js';
import { createAdminServer } from '../../shared/src/admin/server.js';
import { controlPlaneMetrics, createRegistry } from '../../shared/src/metrics.js';
import { startControlPlane } from '../../control-plane/src/main.js';
import { listenAdmin } from '../admin.js';
import { loadConfigOrExit, onShutdown, processLogger } from '../lifecycle.js';
import { opt, type CommonOptions } from '../options.js';

interface ControlPlaneCommandOptions extends CommonOptions {
  config: string;
  admin: HostPort;
  grpc: HostPort;
  drainTimeout: number;
}

export function registerControlPlane(program: Command): void {
  program
    .command('control-plane')
    .description('control plane only: health probes, snapshots over gRPC (and Redis when configured)')
    .addOption(opt.config())
    .addOption(opt.admin('127.0.0.1:9901'))
    .addOption(opt.grpc())
    .addOption(opt.drainTimeout())
    .addOption(opt.logLevel())
    .action(async (options: ControlPlaneCommandOptions) => {
      const logger = processLogger(options);
      const loaded = loadConfigOrExit(options.config, logger);
      const registry = createRegistry('control-plane');
      const controlPlane = await startControlPlane({
        loaded,
        env: process.env,
        logger,
        metrics: controlPlaneMetrics(registry),
        grpc: options.grpc,
      });
      const admin = createAdminServer({ registry, isReady: () => controlPlane.isReady() });
      controlPlane.registerAdminRoutes(admin);
      await listenAdmin(admin, options.admin, logger);
      onShutdown(logger, options.drainTimeout, [() => controlPlane.close(), () => admin.close()], { sighupReloads: true });
    });
}

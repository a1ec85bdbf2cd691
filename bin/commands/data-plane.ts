// `portico data-plane`: forwards traffic with snapshots from the control plane (gRPC, default) or
// Redis. With --workers N the primary process forks N workers that share the traffic listener;
// the primary subscribes once (one identity, one snapshot file), relays every snapshot to the
// workers over IPC, and serves the admin listener with the workers' metrics aggregated.
import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AggregatorRegistry } from 'prom-client';
import { parseHostPort, type HostPort } from '../../shared/src/address.js';
import { createAdminServer } from '../../shared/src/admin/server.js';
import type { Logger } from '../../shared/src/logger.js';
import { createRegistry, dataPlaneMetrics } from '../../shared/src/metrics.js';
import { DEFAULT_KEY_PREFIX } from '../../shared/src/snapshot/redis-keys.js';
import { supersedes } from '../../shared/src/snapshot/ordering.js';
import { startDataPlane } from '../../data-plane/src/main.js';
import { startFeed, type FeedSource } from '../../data-plane/src/sync/feed.js';
import { receiveRelayed, WorkerRelay } from '../../data-plane/src/sync/relay.js';
import { startLoadReporter } from '../../data-plane/src/sync/load-reporter.js';
import { listenAdmin } from '../admin.js';
import { onShutdown, processLogger } from '../lifecycle.js';
import { dataPlaneSettings, opt, type CommonOptions, type DataPlaneFlags } from '../options.js';

// Set by the primary for each worker it forks (not user-facing flags).
const WORKER_ID = 'PORTICO_WORKER_OF';
const WORKER_SLOT = 'PORTICO_WORKER_SLOT';

interface DataPlaneCommandOptions extends CommonOptions, DataPlaneFlags {
  admin: HostPort;
  controlPlane?: string;
  redis?: string;
  redisKeyPrefix: string;
  workers: number;
  id?: string;
  snapshotFile?: string;
}

export function registerDataPlane(program: Command): void {
  program
    .command('data-plane')
    .description('data plane only: forwards traffic with snapshots from the control plane (gRPC) or Redis')
    .addOption(opt.controlPlane())
    .addOption(opt.redis())
    .addOption(new Option('--redis-key-prefix <prefix>', 'key prefix of the control plane\'s redis.keyPrefix').env('PORTICO_REDIS_KEY_PREFIX').default(DEFAULT_KEY_PREFIX))
    .addOption(opt.listen())
    .addOption(opt.admin('127.0.0.1:9902'))
    .addOption(opt.workers())
    .addOption(opt.id())
    .addOption(opt.snapshotFile())
    .addOption(opt.drainTimeout())
    .addOption(opt.headersTimeout())
    .addOption(opt.logLevel())
    .action(async (options: DataPlaneCommandOptions, command: Command) => {
      const source = feedSource(options, command);
      const id = options.id ?? `${hostname()}-${process.pid}`;
      const base = processLogger(options);
      if (cluster.isWorker) return runWorker(options, base.child({ worker: cluster.worker?.id }));
      const logger = base.child({ dataPlane: id });
      if (options.workers > 1) return runPrimary(options, source, id, logger);
      return runSingle(options, source, id, logger);
    });
}

function feedSource(options: DataPlaneCommandOptions, command: Command): FeedSource {
  if (options.controlPlane !== undefined && options.redis !== undefined) command.error('error: use either --control-plane or --redis, not both', { exitCode: 1 });
  if (options.redis !== undefined) {
    if (!/^rediss?:\/\//.test(options.redis)) command.error(`error: --redis must be a redis:// or rediss:// URL, got "${options.redis}"`, { exitCode: 1 });
    return { kind: 'redis', url: options.redis, keyPrefix: options.redisKeyPrefix };
  }
  if (options.controlPlane === undefined) command.error('error: data-plane needs --control-plane HOST:PORT or --redis URL', { exitCode: 1 });
  const at = parseHostPort(options.controlPlane!);
  if (!at) command.error(new InvalidArgumentError(`--control-plane: expected HOST:PORT, got "${options.controlPlane}"`).message, { exitCode: 1 });
  return { kind: 'grpc', address: options.controlPlane! };
}

async function runSingle(options: DataPlaneCommandOptions, source: FeedSource, id: string, logger: Logger): Promise<void> {
  const registry = createRegistry('data-plane');
  const plane = await startDataPlane({ ...dataPlaneSettings(options, logger, dataPlaneMetrics(registry)), id });
  const feed = startFeed({
    source,
    id,
    logger,
    random: Math.random,
    ...(options.snapshotFile ? { snapshotFile: options.snapshotFile } : {}),
    apply: (snapshot, _bytes, from) => plane.applySnapshot(snapshot, from),
  });
  const reporter = startLoadReporter({ tables: () => plane.store.current, clock: Date.now, send: (endpoints) => feed.report(endpoints) });
  const admin = createAdminServer({ registry, isReady: () => plane.isReady() });
  await listenAdmin(admin, options.admin, logger);
  // Readiness goes 503 first (plane.close marks draining), then in-flight requests finish.
  onShutdown(logger, options.drainTimeout, [() => plane.close(), async () => reporter.close(), () => feed.close(), () => admin.close()]);
}

async function runPrimary(options: DataPlaneCommandOptions, source: FeedSource, id: string, logger: Logger): Promise<void> {
  const registry = createRegistry('data-plane');
  const aggregator = new AggregatorRegistry();
  const relay = new WorkerRelay();
  let stopping = false;

  // Each worker keeps its slot across restarts: the slots split this plane's limit shares.
  const fork = (slot: number) => {
    const worker = cluster.fork({ [WORKER_ID]: id, [WORKER_SLOT]: String(slot) });
    relay.add(worker);
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ worker: worker.id, code, signal }, 'worker exited; starting another');
      fork(slot);
    });
  };
  for (let i = 0; i < options.workers; i++) fork(i);

  let held: { runId: string; version: number } | undefined;
  const feed = startFeed({
    source,
    id,
    logger,
    random: Math.random,
    ...(options.snapshotFile ? { snapshotFile: options.snapshotFile } : {}),
    apply: (snapshot, bytes, from) => {
      if (!supersedes(snapshot, held)) return false;
      held = { runId: snapshot.runId, version: snapshot.version };
      relay.publish(bytes);
      logger.info({ version: snapshot.version, runId: snapshot.runId, source: from, workers: options.workers }, 'snapshot relayed to workers');
      return true;
    },
  });

  const admin = createAdminServer({
    registry,
    isReady: () => !stopping && relay.readyWorkers > 0,
    metrics: () => aggregator.clusterMetrics(),
  });
  await listenAdmin(admin, options.admin, logger);

  onShutdown(logger, options.drainTimeout, [
    async () => {
      stopping = true;
      const exits = Object.values(cluster.workers ?? {}).flatMap((w) => (w ? [new Promise<void>((resolve) => {
        if (w.isDead()) return resolve();
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })] : []));
      await Promise.all(exits);
    },
    () => feed.close(),
    () => admin.close(),
  ]);
}

async function runWorker(options: DataPlaneCommandOptions, logger: Logger): Promise<void> {
  const registry = createRegistry('data-plane');
  // The primary collects this registry for /metrics (prom-client's cluster protocol).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const plane = await startDataPlane({
    ...dataPlaneSettings(options, logger, dataPlaneMetrics(registry)),
    id: process.env[WORKER_ID] ?? 'local',
    workerSlot: { index: Number(process.env[WORKER_SLOT] ?? 0), count: options.workers },
  });
  const stop = receiveRelayed((snapshot, _bytes, from) => plane.applySnapshot(snapshot, from));
  onShutdown(logger, options.drainTimeout, [async () => stop(), () => plane.close()]);
}

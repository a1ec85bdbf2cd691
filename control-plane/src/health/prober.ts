// The prober runner: probes every endpoint on one schedule (health/schedule.ts) through one
// bounded undici Agent, feeds results to the per-endpoint state machines and emits a HealthMessage
// per probe (`changed` marks flips). Envoy's equivalent: the HTTP active health checker.
import { Agent, type Dispatcher } from 'undici';
import type { Logger } from '../../../shared/src/logger.js';
import type { HealthMessage } from '../messages.js';
import type { Timers } from '../timers.js';
import type { ProbeTarget } from './check.js';
import { Schedule } from './schedule.js';
import { EndpointHealthState } from './state.js';

export interface ProbeResult {
  passed: boolean;
  /** From the request's write to its response headers (or to the failure), ms. */
  latencyMs: number;
  status?: number;
  error?: string;
}

export type ProbeFn = (target: ProbeTarget) => Promise<ProbeResult>;

export interface ProberOptions {
  timers: Timers;
  random: () => number;
  logger: Logger;
  emit: (message: HealthMessage) => void;
  /** Probe implementation; defaults to HTTP through a bounded Agent. */
  probe?: ProbeFn;
  /** Probes in flight at once; the rest wait their turn (default 256). */
  maxConcurrent?: number;
  /** Sockets per backend origin (default 4). */
  connectionsPerOrigin?: number;
}

interface Slot {
  target: ProbeTarget;
  state: EndpointHealthState;
  inFlight: boolean;
}

export class Prober {
  private readonly slots = new Map<string, Slot>();
  private readonly schedule: Schedule;
  private readonly queue: string[] = [];
  private running = 0;
  private readonly maxConcurrent: number;
  private readonly probe: ProbeFn;
  private readonly agents = new Map<number, Agent>();
  private closed = false;

  constructor(private readonly options: ProberOptions) {
    this.schedule = new Schedule(options.timers, (key) => this.due(key));
    this.maxConcurrent = options.maxConcurrent ?? 256;
    if (options.probe) {
      this.probe = options.probe;
    } else {
      // Bounded sockets: at most `connectionsPerOrigin` per backend origin, kept alive between
      // rounds, so a thousand endpoints on a few hosts reuse a handful of connections.
      const agentFor = (timeoutMs: number) => {
        let agent = this.agents.get(timeoutMs);
        if (!agent) {
          agent = new Agent({
            connections: options.connectionsPerOrigin ?? 4,
            connect: { timeout: timeoutMs },
            keepAliveTimeout: 4_000,
            keepAliveTimeoutThreshold: 1_000,
          });
          this.agents.set(timeoutMs, agent);
        }
        return agent;
      };
      this.probe = httpProbe(agentFor, options.timers);
    }
  }

  /**
   * Installs the endpoints to probe. New or changed endpoints start unknown and are probed at
   * once; unchanged ones keep their state and schedule; removed ones stop.
   */
  setTargets(targets: readonly ProbeTarget[]): void {
    const next = new Set(targets.map((t) => t.key));
    for (const key of this.slots.keys()) {
      if (!next.has(key)) {
        this.slots.delete(key);
        this.schedule.cancel(key);
      }
    }
    const now = this.options.timers.now();
    for (const target of targets) {
      const existing = this.slots.get(target.key);
      if (existing && existing.target.fingerprint === target.fingerprint) continue;
      const slot: Slot = { target, state: new EndpointHealthState(), inFlight: false };
      this.slots.set(target.key, slot);
      if (existing && existing.state.status !== 'UNKNOWN') {
        this.options.emit({ key: target.key, cluster: target.cluster, endpoint: target.endpoint, status: 'UNKNOWN', latencyMs: 0, lastCheck: '', changed: true });
      }
      this.schedule.at(target.key, now);
    }
  }

  /** The state of every probed endpoint, by key. */
  states(): ReadonlyMap<string, { target: ProbeTarget; state: EndpointHealthState }> {
    return this.slots;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.schedule.close();
    this.queue.length = 0;
    await Promise.all([...this.agents.values()].map((a) => a.destroy().catch(() => undefined)));
  }

  private due(key: string): void {
    this.queue.push(key);
    this.drain();
  }

  private drain(): void {
    while (!this.closed && this.running < this.maxConcurrent && this.queue.length > 0) {
      const key = this.queue.shift()!;
      const slot = this.slots.get(key);
      if (!slot || slot.inFlight) continue;
      this.running++;
      void this.runAndDrain(slot);
    }
  }

  private async runAndDrain(slot: Slot): Promise<void> {
    try {
      await this.run(slot);
    } finally {
      this.running--;
      this.drain();
    }
  }

  private async run(slot: Slot): Promise<void> {
    const { timers, random, emit, logger } = this.options;
    const target = slot.target;
    const startedAt = timers.now();
    slot.inFlight = true;
    let result: ProbeResult;
    try {
      result = await this.probe(target);
    } catch (err) {
      result = { passed: false, latencyMs: timers.now() - startedAt, error: (err as Error).message };
    }
    slot.inFlight = false;
    // Replaced or removed while in flight: the result belongs to a target that no longer exists.
    if (this.closed || this.slots.get(target.key) !== slot) return;
    const at = new Date(timers.now()).toISOString();
    const changed = slot.state.observe(result.passed, result.latencyMs, at, target);
    if (changed) {
      logger.info({ cluster: target.cluster, endpoint: target.endpoint, status: slot.state.status.toLowerCase(), httpStatus: result.status, error: result.error }, 'endpoint health changed');
    }
    emit({
      key: target.key,
      cluster: target.cluster,
      endpoint: target.endpoint,
      status: slot.state.status,
      latencyMs: slot.state.latencyMs,
      lastCheck: at,
      changed,
    });
    const spread = target.jitter * (2 * random() - 1);
    const next = startedAt + target.intervalMs * (1 + spread);
    this.schedule.at(target.key, Math.max(next, timers.now()), Math.min(MAX_BATCH_SLACK_MS, target.intervalMs / 20));
  }
}

/**
 * One HTTP probe through a shared Agent (one per distinct timeout, normally one). It uses the
 * dispatcher's handler interface: no response stream, no AbortSignal, no async resource per probe
 * (a thousand probes a second made those the bulk of the prober's cost). The timeout covers
 * connect (the Agent's connect timeout), response headers and the body, through undici's timers.
 */
export function httpProbe(agentFor: (timeoutMs: number) => Agent, timers: Timers): ProbeFn {
  return (target) => new Promise<ProbeResult>((resolve) => {
    agentFor(target.timeoutMs).dispatch({
      origin: target.origin,
      path: target.path,
      method: target.method,
      headers: target.headers,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
    }, new ProbeHandler(target.expectedStatus, timers, resolve));
  });
}

class ProbeHandler implements Dispatcher.DispatchHandler {
  private startedAt: number;
  private status = 0;
  private latencyMs = 0;
  private received = 0;
  private abort: ((err?: Error) => void) | undefined = undefined;

  constructor(
    private readonly expected: ProbeTarget['expectedStatus'],
    private readonly timers: Timers,
    private resolve: ((result: ProbeResult) => void) | undefined,
  ) {
    this.startedAt = timers.now();
  }

  // Called as the request is written: probes of one batch queue behind each other on a backend's
  // few sockets, and that wait is not the backend's latency.
  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.startedAt = this.timers.now();
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    this.latencyMs = this.timers.now() - this.startedAt;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.received += chunk.length;
    // A health endpoint that streams megabytes is not answering a health check.
    if (this.received > MAX_PROBE_BODY) this.abort?.(new Error('health response body too large'));
    return true;
  }

  onComplete(): void {
    const { status, expected } = this;
    this.finish({ passed: status >= expected.min && status <= expected.max, latencyMs: this.latencyMs, status });
  }

  onError(err: Error): void {
    const e = err as Error & { code?: string };
    this.finish({ passed: false, latencyMs: this.timers.now() - this.startedAt, error: e.code ?? e.message });
  }

  /**
   * undici keeps a finished handler reachable for a while: it must not keep the probe's promise
   * and its awaiting frame alive with it (~2 MB promoted to old space per scavenge at 1,000
   * probes a second, and the major collections that follow).
   */
  private finish(result: ProbeResult): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    this.abort = undefined;
    resolve?.(result);
  }
}

const MAX_PROBE_BODY = 64 * 1024;
/** A probe may start this much early (at most 5% of its interval) to share a wake-up with others. */
const MAX_BATCH_SLACK_MS = 50;

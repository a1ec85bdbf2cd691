// Per-endpoint health as a small state machine, separate from probing and from picking. It reports
// only flips; the smoothed latency rides along. Envoy's equivalent: the active health checker's
// per-host state (healthy_threshold / unhealthy_threshold).
import type { HealthStatus } from '../../../shared/src/snapshot/types.js';

export interface Thresholds {
  healthyThreshold: number;
  unhealthyThreshold: number;
}

/** Weight of a new latency sample in the moving average. */
export const LATENCY_ALPHA = 0.3;

export class EndpointHealthState {
  status: HealthStatus = 'UNKNOWN';
  /** Consecutive passes (while unhealthy) or failures (while healthy) towards a flip. */
  streak = 0;
  /** Smoothed latency of passing probes, ms; 0 until measured. */
  latencyMs = 0;
  /** ISO 8601 of the last probe; '' until probed. */
  lastCheck = '';

  /**
   * Records one probe result; returns true when the status flipped. The first result decides at
   * once (an endpoint is unknown only until its first probe); afterwards the thresholds apply.
   */
  observe(passed: boolean, latencyMs: number, at: string, t: Thresholds): boolean {
    this.lastCheck = at;
    if (passed) this.latencyMs = this.latencyMs === 0 ? latencyMs : this.latencyMs + LATENCY_ALPHA * (latencyMs - this.latencyMs);
    const wanted: HealthStatus = passed ? 'HEALTHY' : 'UNHEALTHY';
    if (this.status === 'UNKNOWN') {
      this.status = wanted;
      this.streak = 0;
      return true;
    }
    if (this.status === wanted) {
      this.streak = 0;
      return false;
    }
    this.streak++;
    const needed = passed ? t.healthyThreshold : t.unhealthyThreshold;
    if (this.streak < needed) return false;
    this.status = wanted;
    this.streak = 0;
    return true;
  }
}

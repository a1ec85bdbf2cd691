// The typed messages the control plane's runners exchange (see main.ts for who sends what).
import type { LoadedConfig } from '../../shared/src/config/index.js';
import type { HealthStatus, SnapshotInput } from '../../shared/src/snapshot/types.js';

/** A valid configuration to run (at start, on every accepted reload). */
export interface ConfigMessage {
  loaded: LoadedConfig;
}

/** One probe result (or a reset to unknown when an endpoint's check changed). */
export interface HealthMessage {
  key: string;
  cluster: string;
  endpoint: string;
  status: HealthStatus;
  /** Smoothed probe latency, ms. */
  latencyMs: number;
  /** ISO 8601; '' when reset. */
  lastCheck: string;
  /** The status differs from the previous message for this endpoint. */
  changed: boolean;
}

/** A published snapshot, encoded once for every transport. */
export interface SnapshotMessage {
  version: number;
  runId: string;
  configVersion: string;
  snapshot: SnapshotInput;
  encoded: Buffer;
  reason: 'config' | 'health' | 'latency' | 'data-planes' | 'route-cache';
}

// Where snapshots live in Redis; the control plane writes, data planes read. One definition for both.
export const DEFAULT_KEY_PREFIX = 'portico:';

export const redisKeys = (prefix: string) => ({
  /** The encoded current snapshot (protobuf bytes). */
  snapshot: `${prefix}snapshot`,
  /** Pub/sub channel; each message is an encoded snapshot. */
  channel: `${prefix}snapshots`,
  /** One key per data plane fed over Redis, refreshed with a TTL; value is a DataPlaneRecord. */
  dataPlane: (id: string) => `${prefix}dataplane:${id}`,
  dataPlanePattern: `${prefix}dataplane:*`,
});

/** How a data plane fed over Redis announces itself (the control plane lists it on /api/status). */
export interface DataPlaneRecord {
  id: string;
  snapshotVersion: number;
  runId: string;
  connectedAt: string;
}

/** A Redis data plane is listed while its key lives: refreshed every 5 s, expires after 15 s. */
export const DATA_PLANE_REFRESH_MS = 5_000;
export const DATA_PLANE_TTL_MS = 15_000;

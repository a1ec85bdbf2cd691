// Holds the tables the hot path reads and swaps them whole when a snapshot arrives. In-flight
// requests keep the tables (and pools) they started with.
import type { Snapshot } from '../../../shared/src/snapshot/types.js';
import { compileTables, type Tables } from './tables.js';
import { UpstreamRegistry } from './upstreams.js';

export type SnapshotListener = (tables: Tables) => void;

export class SnapshotStore {
  /** undefined until the first snapshot: the data plane is not ready. */
  current: Tables | undefined = undefined;
  readonly upstreams = new UpstreamRegistry();
  private readonly listeners: SnapshotListener[] = [];

  constructor(
    private readonly random: () => number,
    private readonly clock: () => number = Date.now,
    /** This plane's identity, for its share of fleet-wide limits. */
    readonly self: string = 'local',
  ) {}

  /**
   * Installs a snapshot unless it is older than the current one of the same control-plane run.
   * Returns whether it was installed.
   */
  apply(snapshot: Snapshot): boolean {
    const cur = this.current?.snapshot;
    if (cur && cur.runId === snapshot.runId && snapshot.version <= cur.version) return false;
    const fleet = { self: this.self, planes: [...snapshot.dataPlanes].sort() };
    const { tables, inUse } = compileTables(snapshot, this.upstreams, this.random, fleet, this.clock());
    this.current = tables;
    this.upstreams.retire(inUse);
    for (const l of this.listeners) l(tables);
    return true;
  }

  onChange(listener: SnapshotListener): void {
    this.listeners.push(listener);
  }
}

// Holds the tables the hot path reads and swaps them whole when a snapshot arrives. In-flight
// requests keep the tables (and pools) they started with.
import type { Snapshot } from '../../../shared/src/snapshot/types.js';
import { supersedes } from '../../../shared/src/snapshot/ordering.js';
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
    /** Workers of one plane split its shares again: they count as `count` sub-planes. */
    private readonly workerSlot?: { index: number; count: number },
  ) {}

  private fleet(snapshot: Snapshot): { self: string; planes: string[] } {
    const planes = [...snapshot.dataPlanes].sort();
    const slot = this.workerSlot;
    if (slot === undefined || slot.count <= 1) return { self: this.self, planes };
    const sub = (i: number) => `${this.self}#${String(i).padStart(4, '0')}`;
    const own = Array.from({ length: slot.count }, (_, i) => sub(i));
    const listed = planes.includes(this.self) ? planes.flatMap((p) => (p === this.self ? own : [p])) : planes;
    return { self: sub(slot.index), planes: listed.sort() };
  }

  /**
   * Installs a snapshot unless it is older than the current one of the same control-plane run.
   * Returns whether it was installed.
   */
  apply(snapshot: Snapshot): boolean {
    if (!supersedes(snapshot, this.current?.snapshot)) return false;
    const { tables, inUse } = compileTables(snapshot, this.upstreams, this.random, this.fleet(snapshot), this.clock());
    this.current = tables;
    this.upstreams.retire(inUse);
    for (const l of this.listeners) l(tables);
    return true;
  }

  onChange(listener: SnapshotListener): void {
    this.listeners.push(listener);
  }
}

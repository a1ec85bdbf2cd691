// Which data planes this control plane feeds: gRPC streams and the in-process data plane of
// `portico all` register directly; data planes fed over Redis are listed from their heartbeat keys.
export type Transport = 'grpc' | 'redis' | 'in-process';

export interface DataPlaneEntry {
  id: string;
  transport: Transport;
  snapshotVersion: number;
  connectedAt: string;
}

export class DataPlaneRegistry {
  private readonly direct = new Set<DataPlaneEntry>();
  private viaRedis: DataPlaneEntry[] = [];

  /** Called with the current list whenever a data plane comes or goes. */
  constructor(private readonly onChange: (count: number, ids: string[]) => void = () => undefined) {}

  private changed(): void {
    this.onChange(this.count, this.list().map((e) => e.id));
  }

  /** Registers a connection; the returned entry's snapshotVersion is updated by its owner. */
  add(id: string, transport: Transport, connectedAt: string): DataPlaneEntry {
    const entry: DataPlaneEntry = { id, transport, snapshotVersion: 0, connectedAt };
    this.direct.add(entry);
    this.changed();
    return entry;
  }

  remove(entry: DataPlaneEntry): void {
    if (this.direct.delete(entry)) this.changed();
  }

  setRedis(entries: DataPlaneEntry[]): void {
    const ids = (list: DataPlaneEntry[]) => list.map((e) => e.id).sort().join('\n');
    const differs = ids(entries) !== ids(this.viaRedis);
    this.viaRedis = entries;
    if (differs) this.changed();
  }

  get count(): number {
    return this.direct.size + this.viaRedis.length;
  }

  list(): DataPlaneEntry[] {
    return [...this.direct, ...this.viaRedis].map((e) => ({ ...e })).sort((a, b) => a.id.localeCompare(b.id));
  }
}

// Which snapshot a data plane keeps (SPEC §5): versions grow within one control-plane run; any
// version from another run is taken, so a restarted control plane never strands data planes.
export interface SnapshotId {
  runId: string;
  version: number;
}

export function supersedes(next: SnapshotId, held: SnapshotId | undefined): boolean {
  return held === undefined || held.runId !== next.runId || next.version > held.version;
}

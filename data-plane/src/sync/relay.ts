// --workers N: the primary process subscribes once (one identity on the control plane, one
// snapshot file) and relays the encoded bytes to every worker over the cluster IPC channel; a
// worker that (re)starts gets the current snapshot as soon as it is online.
import type { Worker } from 'node:cluster';
import { decodeSnapshot } from '../../../shared/src/snapshot/codec.js';
import type { SnapshotSink } from './sink.js';

interface RelayMessage {
  type: 'portico:snapshot';
  bytes: string;
}

export class WorkerRelay {
  private latest: Buffer | undefined;
  private readonly workers = new Set<Worker>();

  add(worker: Worker): void {
    this.workers.add(worker);
    worker.on('online', () => {
      if (this.latest) this.send(worker, this.latest);
    });
    worker.on('exit', () => this.workers.delete(worker));
  }

  publish(bytes: Buffer): void {
    this.latest = bytes;
    for (const w of this.workers) this.send(w, bytes);
  }

  get hasSnapshot(): boolean {
    return this.latest !== undefined;
  }

  private send(worker: Worker, bytes: Buffer): void {
    if (!worker.isConnected()) return;
    const message: RelayMessage = { type: 'portico:snapshot', bytes: bytes.toString('base64') };
    worker.send(message);
  }
}

/** In a worker: snapshots relayed by the primary. */
export function receiveRelayed(sink: SnapshotSink): () => void {
  const onMessage = (message: unknown) => {
    const m = message as Partial<RelayMessage> | null;
    if (!m || m.type !== 'portico:snapshot' || typeof m.bytes !== 'string') return;
    const bytes = Buffer.from(m.bytes, 'base64');
    sink(decodeSnapshot(bytes), bytes, 'relay');
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

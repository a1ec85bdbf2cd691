// --workers N: the primary process subscribes once (one identity on the control plane, one
// snapshot file) and relays the encoded bytes to every worker over the cluster IPC channel. A
// worker says hello once it can receive (IPC messages that arrive before a listener are lost) and
// gets the current snapshot in answer; it reports each installed version back, which is what the
// primary's /readyz reflects.
import type { Worker } from 'node:cluster';
import { decodeSnapshot } from '../../../shared/src/snapshot/codec.js';
import type { SnapshotSink } from './sink.js';

type RelayMessage =
  | { type: 'portico:snapshot'; bytes: string }
  | { type: 'portico:hello' }
  | { type: 'portico:installed'; version: number };

export class WorkerRelay {
  private latest: Buffer | undefined;
  private readonly workers = new Map<Worker, { hello: boolean; installed: boolean }>();

  add(worker: Worker): void {
    const state = { hello: false, installed: false };
    this.workers.set(worker, state);
    worker.on('message', (message: RelayMessage) => {
      if (message?.type === 'portico:hello') {
        state.hello = true;
        if (this.latest) this.send(worker, this.latest);
      } else if (message?.type === 'portico:installed') {
        state.installed = true;
      }
    });
    worker.on('exit', () => this.workers.delete(worker));
  }

  publish(bytes: Buffer): void {
    this.latest = bytes;
    for (const [w, state] of this.workers) if (state.hello) this.send(w, bytes);
  }

  /** Workers that serve a snapshot. */
  get readyWorkers(): number {
    let n = 0;
    for (const state of this.workers.values()) if (state.installed) n++;
    return n;
  }

  private send(worker: Worker, bytes: Buffer): void {
    if (!worker.isConnected()) return;
    const message: RelayMessage = { type: 'portico:snapshot', bytes: bytes.toString('base64') };
    worker.send(message);
  }
}

/** In a worker: snapshots relayed by the primary. `sink` returns whether it installed one. */
export function receiveRelayed(sink: (...args: Parameters<SnapshotSink>) => boolean): () => void {
  const onMessage = (message: unknown) => {
    const m = message as Partial<RelayMessage & { bytes: unknown }> | null;
    if (!m || m.type !== 'portico:snapshot' || typeof m.bytes !== 'string') return;
    const bytes = Buffer.from(m.bytes, 'base64');
    const snapshot = decodeSnapshot(bytes);
    if (sink(snapshot, bytes, 'relay')) process.send?.({ type: 'portico:installed', version: snapshot.version } satisfies RelayMessage);
  };
  process.on('message', onMessage);
  process.send?.({ type: 'portico:hello' } satisfies RelayMessage);
  return () => process.off('message', onMessage);
}

// --snapshot-file: every installed snapshot is written atomically (temp file, fsync, rename), so a
// crash never leaves half a file; at start the data plane serves from it until a control plane
// (or Redis) answers.
import { open, rename, unlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { Logger } from '../../../shared/src/logger.js';
import { decodeSnapshot } from '../../../shared/src/snapshot/codec.js';
import type { Snapshot } from '../../../shared/src/snapshot/types.js';

export function readSnapshotFile(path: string, logger: Logger): { snapshot: Snapshot; bytes: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') logger.warn({ file: path, err: code }, 'cannot read the snapshot file');
    return undefined;
  }
  try {
    const snapshot = decodeSnapshot(bytes);
    if (!snapshot.runId || snapshot.version === 0) throw new Error('not a snapshot');
    return { snapshot, bytes };
  } catch (err) {
    logger.warn({ file: path, err: (err as Error).message }, 'snapshot file is not a valid snapshot; ignored');
    return undefined;
  }
}

/** Writes the newest bytes; writes requested while one is running collapse into one. */
export class SnapshotFileWriter {
  private next: Buffer | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly path: string, private readonly logger: Logger) {}

  write(bytes: Buffer): void {
    this.next = bytes;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when everything requested so far is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.next) {
      const bytes = this.next;
      this.next = undefined;
      const tmp = `${this.path}.${process.pid}.tmp`;
      try {
        const fh = await open(tmp, 'w', 0o600);
        try {
          await fh.writeFile(bytes);
          await fh.datasync();
        } finally {
          await fh.close();
        }
        await rename(tmp, this.path);
      } catch (err) {
        this.logger.warn({ file: this.path, err: (err as Error).message }, 'cannot write the snapshot file');
        await unlink(tmp).catch(() => undefined);
      }
    }
  }
}

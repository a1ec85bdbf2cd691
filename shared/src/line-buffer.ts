// The process logger's destination: whole lines gathered in one preallocated buffer and written
// synchronously, one write(2) per ~4 KiB to a pipe or terminal and per ~32 KiB to a file, like
// NGINX's access log with `buffer=32k`. It replaces sonic-boom, whose
// string buffer cost every line a UTF-8 length count, a concatenation and, at each flush, a
// flattening copy of the whole buffer (the access log made ~4.3 KB of garbage per proxied request;
// heap sampling under load, issue 2). Here a line is encoded once, straight into the buffer.
//
// Each write holds whole lines and, to a pipe, at most PIPE_BUF (4 KiB) bytes, so the lines of
// --workers processes sharing one stdout pipe never interleave mid-line; only a single longer line
// is written in several pieces. A regular file takes 32 KiB writes: Linux writes them whole under
// the file's lock, and a write(2) to a file cost ~19 µs here, ~1.2 µs of every proxied request at
// 4 KiB (perf, issue 2). Writes block: a stalled reader stalls the process, as it would NGINX.
import { fstatSync, writeSync } from 'node:fs';

/** POSIX guarantees writes up to PIPE_BUF to a pipe are atomic; Linux's is 4096. */
const PIPE_BUF = 4096;
const FILE_WRITE = 32 * 1024;
/** Room for the largest line encoded in place; longer ones are written on their own. */
const CAPACITY = 64 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

export interface LineBufferOptions {
  /** Pending lines are written at least this often (ms); 0 turns the timer off. */
  flushIntervalMs?: number;
  /** The write(2) to use (fs.writeSync by default): returns the bytes written. */
  writeSync?: (fd: number, data: Buffer, offset: number, length: number) => number;
  /** Largest write (default: 32 KiB to a regular file, PIPE_BUF to anything else). */
  maxWrite?: number;
}

function maxWriteTo(fd: number): number {
  try {
    return fstatSync(fd).isFile() ? FILE_WRITE : PIPE_BUF;
  } catch {
    return PIPE_BUF;
  }
}

export class LineBuffer {
  private readonly buffer = Buffer.allocUnsafe(CAPACITY);
  private length = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly writeSync: NonNullable<LineBufferOptions['writeSync']>;
  private readonly maxWrite: number;

  constructor(
    private readonly fd: number,
    options: LineBufferOptions = {},
  ) {
    this.writeSync = options.writeSync ?? writeSync;
    this.maxWrite = options.maxWrite ?? maxWriteTo(fd);
    const every = options.flushIntervalMs ?? 200;
    this.timer = every > 0 ? setInterval(() => this.flushSync(), every).unref() : undefined;
  }

  /** One or more whole lines, each ending in "\n" (pino's and the access log's calls). */
  write(lines: string): boolean {
    if (lines.length * MAX_BYTES_PER_UNIT > CAPACITY - this.length) {
      this.flushSync();
      if (lines.length * MAX_BYTES_PER_UNIT > CAPACITY) {
        this.writeAll(Buffer.from(lines, 'utf8'), 0);
        return true;
      }
    }
    const start = this.length;
    const end = start + (this.buffer as EncodingBuffer).utf8Write(lines, start, CAPACITY - start);
    if (end < this.maxWrite) {
      this.length = end;
    } else if (end === this.maxWrite || start === 0) {
      this.length = end;
      this.flushSync();
    } else {
      // Past maxWrite: write the lines before this one, keep this one at the front.
      this.length = start;
      this.flushSync();
      this.buffer.copyWithin(0, start, end);
      this.length = end - start;
    }
    return true;
  }

  flushSync(): void {
    if (this.length === 0) return;
    const length = this.length;
    this.length = 0;
    this.writeAll(this.buffer, length);
  }

  /** pino's logger.flush(cb) calls this. */
  flush(cb?: (err?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  end(): void {
    this.flushSync();
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** `length` 0 means the whole buffer. */
  private writeAll(data: Buffer, length: number): void {
    const total = length === 0 ? data.length : length;
    let offset = 0;
    while (offset < total) {
      try {
        offset += this.writeSync(this.fd, data, offset, Math.min(this.maxWrite, total - offset));
      } catch (err) {
        // A non-blocking descriptor that is full: wait for the reader, as a blocking write would.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(SLEEPER, 0, 0, 5);
          continue;
        }
        // Nowhere to write (EPIPE, EIO after the terminal closed): the lines are lost, the
        // process keeps serving.
        return;
      }
    }
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Node's own encoder behind Buffer#write, without write()'s argument juggling (~14% of a line's cost). */
interface EncodingBuffer extends Buffer {
  utf8Write(text: string, offset: number, length: number): number;
}

// Request bodies buffered only where a feature needs the whole body (payload matching, replay
// for retries and first-success), up to gateway.maxBufferedBody. An oversized body is not lost:
// what was read is kept and replayed ahead of the rest of the stream.
import type { IncomingMessage } from 'node:http';

export type BufferedBody =
  | { complete: true; body: Buffer }
  | { complete: false; head: Buffer[]; rest: IncomingMessage };

const EMPTY: BufferedBody = { complete: true, body: Buffer.alloc(0) };

/** Whether the request has a body to read: a non-zero Content-Length or a Transfer-Encoding. */
export function requestHasBody(req: IncomingMessage): boolean {
  const h = req.headers;
  const cl = h['content-length'];
  return (cl !== undefined && cl !== '0') || h['transfer-encoding'] !== undefined;
}

export function bufferBody(req: IncomingMessage, limit: number): Promise<BufferedBody> {
  // The fast path's requests are body-less and not streams; nothing to wait for either way.
  if (!requestHasBody(req)) return Promise.resolve(EMPTY);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > limit) {
        cleanup();
        req.pause();
        resolve({ complete: false, head: chunks, rest: req });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ complete: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** The body to send upstream: the buffer, or the read head followed by the unread rest. */
export function replayableBody(b: BufferedBody): Buffer | AsyncIterable<Buffer> {
  if (b.complete) return b.body;
  const { head, rest } = b;
  return (async function* () {
    yield* head;
    for await (const chunk of rest) yield chunk as Buffer;
  })();
}

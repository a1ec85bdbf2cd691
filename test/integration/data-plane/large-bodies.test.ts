// A 256 MiB upload and a 256 MiB download stream through the proxy byte for byte (same sha256
// on both sides) while the proxy's resident memory stays bounded: it must not buffer bodies.
// This is a correctness bound, not a speed target; the 1 GiB run belongs to `make bench`.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { readMemory, resetPeak, sampleRss } from '../../helpers/rss.js';
import { startUpstream } from '../../helpers/upstream.js';

const TOTAL = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;
const BOUND = 96 * 1024 * 1024;
const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** Deterministic, non-periodic content: a random block with the chunk index stamped in front. */
const block = randomBytes(CHUNK);
function chunkAt(i: number): Buffer {
  const c = Buffer.from(block);
  c.writeUInt32BE(i, 0);
  c.writeUInt32BE(i * 2654435761 >>> 0, 8);
  return c;
}

const t = { after };
let downloadDigest = '';
const up = await startUpstream(t, (req, res) => {
  if (req.url === '/upload') {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => { hash.update(c); bytes += c.length; });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
    });
    return;
  }
  if (req.url === '/download') {
    const hash = createHash('sha256');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': TOTAL });
    let i = 0;
    const pump = () => {
      while (i * CHUNK < TOTAL) {
        const c = chunkAt(i++);
        hash.update(c);
        if (i * CHUNK >= TOTAL) {
          downloadDigest = hash.digest('hex');
          res.end(c);
          return;
        }
        if (!res.write(c)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
    return;
  }
  res.end('warm');
});
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);
const pid = gw.proc.pid!;

/** Idle RSS after a warm-up request, and a sampler over the transfer. */
async function measure<T>(transfer: () => Promise<T>): Promise<{ result: T; idle: number; peak: number }> {
  await httpRequest(`${gw.url}/warm`);
  const idle = readMemory(pid).rss;
  const hwmUsable = resetPeak(pid);
  const sampler = sampleRss(pid);
  const result = await transfer();
  let peak = sampler.stop();
  if (hwmUsable) peak = Math.max(peak, readMemory(pid).peak);
  return { result, idle, peak };
}

test('a 256 MiB upload arrives whole (same sha256) with the proxy\'s memory bounded', async () => {
  const sent = createHash('sha256');
  let i = 0;
  const body = new Readable({
    read() {
      if (i * CHUNK >= TOTAL) {
        this.push(null);
        return;
      }
      const c = chunkAt(i++);
      sent.update(c);
      this.push(c);
    },
  });
  const { result, idle, peak } = await measure(() => httpRequest(`${gw.url}/upload`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(TOTAL) },
    body,
    timeoutMs: 120_000,
  }));
  assert.equal(result.status, 200, result.text());
  const got = result.json<{ bytes: number; sha256: string }>();
  assert.equal(got.bytes, TOTAL);
  assert.equal(got.sha256, sent.digest('hex'));
  assert.ok(peak - idle < BOUND, `proxy RSS grew by ${MiB(peak - idle)} (idle ${MiB(idle)}, peak ${MiB(peak)}); bound ${MiB(BOUND)}`);
});

test('a 256 MiB download arrives whole (same sha256) with the proxy\'s memory bounded', async () => {
  const { result, idle, peak } = await measure(() => new Promise<{ status: number; bytes: number; sha256: string }>((resolve, reject) => {
    const req = request(`${gw.url}/download`, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => { hash.update(c); bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex') }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('download stalled')));
    req.on('error', reject);
    req.end();
  }));
  assert.equal(result.status, 200);
  assert.equal(result.bytes, TOTAL);
  assert.equal(result.sha256, downloadDigest);
  assert.ok(peak - idle < BOUND, `proxy RSS grew by ${MiB(peak - idle)} (idle ${MiB(idle)}, peak ${MiB(peak)}); bound ${MiB(BOUND)}`);
});

// Measurements run from the harness process itself (pinned to the load CPU): SSE time-to-first-
// event over fresh connections, and a streaming 1 GiB upload while the proxy's RSS is sampled.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { resetHwm, treeHwm, treeRss } from './procs.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Simple GET returning status and body, bounded by timeoutMs. */
export function get(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Polls url until it answers 200, the deadline passes, or isDead() says the process exited. */
export async function waitFor200(url: string, timeoutMs: number, isDead: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead !== null) throw new Error(dead);
    try {
      const r = await get(url, 1000);
      if (r.status === 200) return;
      last = `status ${r.status}: ${r.body.slice(0, 200)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} not answering 200 within ${timeoutMs} ms (last: ${last})`);
}

export interface SseResult {
  samples: number;
  failures: number;
  medianMs: number;
  p99Ms: number;
}

function firstEvent(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let done = false;
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        done = true;
        res.resume();
        reject(new Error(`status ${res.statusCode}`));
        return;
      }
      res.once('data', () => {
        done = true;
        resolve(Number(process.hrtime.bigint() - t0) / 1e6);
        res.resume();
      });
      res.on('error', () => undefined);
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => {
      if (!done) reject(e);
    });
  });
}

/** Time from request start (including connect) to the first body bytes, over sequential fresh connections. */
export async function sseTtfe(url: string, count: number, budgetMs: number): Promise<SseResult> {
  const deadline = Date.now() + budgetMs;
  const samples: number[] = [];
  let failures = 0;
  for (let i = 0; i < 5 && Date.now() < deadline; i++) await firstEvent(url, 2000).catch(() => undefined); // warm-up
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    try {
      samples.push(await firstEvent(url, 2000));
    } catch {
      failures++;
      if (failures > 20) break;
    }
  }
  samples.sort((a, b) => a - b);
  return { samples: samples.length, failures, medianMs: pct(samples, 50), p99Ms: pct(samples, 99) };
}

export interface UploadResult {
  bytes: number;
  seconds: number;
  ok: boolean;
  detail: string;
  idleRss: number;
  peakRss: number;
  /** peak from VmHWM after a clear_refs reset, when the kernel allowed it */
  hwm: number | null;
}

const CHUNK = Buffer.alloc(1024 * 1024);
for (let i = 0; i < CHUNK.length; i++) CHUNK[i] = (i * 31 + 7) & 0xff;
let expectedCache: { bytes: number; sha: string } | null = null;

function expectedSha(bytes: number): string {
  if (expectedCache?.bytes === bytes) return expectedCache.sha;
  const h = createHash('sha256');
  for (let sent = 0; sent < bytes; sent += CHUNK.length) h.update(CHUNK.subarray(0, Math.min(CHUNK.length, bytes - sent)));
  expectedCache = { bytes, sha: h.digest('hex') };
  return expectedCache.sha;
}

/**
 * POSTs `bytes` (Content-Length, 1 MiB writes honouring backpressure) to url and checks the
 * backend's byte count and sha256. proxyPid (null for direct) is sampled every 20 ms.
 */
export async function upload(url: string, bytes: number, proxyPid: number | null, timeoutMs: number): Promise<UploadResult> {
  const sha = expectedSha(bytes);
  const idleRss = proxyPid === null ? 0 : treeRss(proxyPid);
  const hwmReset = proxyPid !== null && resetHwm(proxyPid);
  let peakRss = idleRss;
  const sampler = proxyPid === null ? null : setInterval(() => {
    peakRss = Math.max(peakRss, treeRss(proxyPid));
  }, 20);
  const t0 = Date.now();
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
      });
      const timer = setTimeout(() => req.destroy(new Error(`upload not finished within ${timeoutMs} ms`)), timeoutMs);
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => {
          clearTimeout(timer);
          if (res.statusCode === 200) resolve(body);
          else reject(new Error(`status ${res.statusCode}: ${body.slice(0, 300)}`));
        });
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes) {
          const n = Math.min(CHUNK.length, bytes - sent);
          sent += n;
          if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    const seconds = (Date.now() - t0) / 1000;
    if (proxyPid !== null) peakRss = Math.max(peakRss, treeRss(proxyPid));
    const hwm = hwmReset && proxyPid !== null ? treeHwm(proxyPid) : null;
    let ok = false;
    let detail: string;
    try {
      const got = JSON.parse(answer) as { bytes: number; sha256: string };
      ok = got.bytes === bytes && got.sha256 === sha;
      detail = ok ? 'sha256 ok' : `backend got ${got.bytes} bytes, sha256 ${got.sha256.slice(0, 12)}…`;
    } catch {
      detail = `unexpected answer: ${answer.slice(0, 200)}`;
    }
    return { bytes, seconds, ok, detail, idleRss, peakRss, hwm };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}

// A cluster's `timeout` runs until response headers and restarts with each request body chunk
// sent; `idleTimeout` runs between response body chunks. An upstream that keeps making progress
// is never cut, however long the whole exchange takes; one that goes silent is.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const CHUNK_GAP_MS = 100;
const CHUNKS = 8; // 800 ms in all: longer than either timeout below

const upstream = await startUpstream(t, answersHealth((req, res) => {
  if (req.url === '/trickle') {
    // A chunk every CHUNK_GAP_MS: never idle for idleTimeout, though longer than it in all.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const timer = setInterval(() => {
      res.write(`chunk ${sent}\n`);
      if (++sent === CHUNKS) {
        clearInterval(timer);
        res.end();
      }
    }, CHUNK_GAP_MS);
    res.on('close', () => clearInterval(timer));
  } else if (req.url === '/stall') {
    // One chunk, then silence far past idleTimeout.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write('first\n');
    const timer = setTimeout(() => res.end('too late\n'), 5_000);
    res.on('close', () => clearTimeout(timer));
  } else {
    // The upload: answered once the whole body arrived.
    let bytes = 0;
    req.on('data', (c: Buffer) => { bytes += c.length; });
    req.on('end', () => res.end(JSON.stringify({ bytes })));
  }
}));

const gw = await startGateway(t, `
healthCheck: { interval: 1m }
clusters:
  - { name: up, timeout: 500ms, idleTimeout: 500ms, endpoints: [{ url: "${upstream.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

test('a response whose chunks keep coming outlasts idleTimeout and arrives whole', async () => {
  const res = await httpRequest(`${gw.url}/trickle`);
  assert.equal(res.status, 200);
  assert.equal(res.text(), Array.from({ length: CHUNKS }, (_, i) => `chunk ${i}\n`).join(''));
});

test('an upload that keeps progressing outlasts timeout (headers): each chunk restarts it', async () => {
  async function* slowBody(): AsyncGenerator<Buffer> {
    for (let i = 0; i < CHUNKS; i++) {
      yield Buffer.alloc(1024, 'u');
      await sleep(CHUNK_GAP_MS);
    }
  }
  const res = await httpRequest(`${gw.url}/upload`, { method: 'POST', body: Readable.from(slowBody()) });
  assert.equal(res.status, 200, res.text());
  assert.deepEqual(res.json(), { bytes: CHUNKS * 1024 });
});

test('an upstream silent for idleTimeout after the status line: the client gets the first chunk, then a cut connection', async () => {
  const started = performance.now();
  const { status, received, ended } = await new Promise<{ status: number; received: string; ended: 'end' | 'aborted' }>((resolve, reject) => {
    const req = request(`${gw.url}/stall`, (res) => {
      let received = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { received += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, received, ended: 'end' }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, received, ended: 'aborted' }));
    });
    req.on('error', reject);
    req.setTimeout(4_000, () => req.destroy(new Error('the gateway did not cut the stalled stream')));
    req.end();
  });
  const elapsed = performance.now() - started;
  assert.equal(status, 200);
  assert.equal(received, 'first\n');
  assert.equal(ended, 'aborted', 'a stream cut short must not look complete');
  // Cut by idleTimeout (500 ms), not by the upstream's own end at 5 s.
  assert.ok(elapsed >= 250 && elapsed < 3_000, `cut after ${elapsed.toFixed(0)} ms`);
});

// SSE and NDJSON reach the client chunk by chunk: response headers arrive before the first
// event, and the first event arrives while the upstream still holds the stream open.
import assert from 'node:assert/strict';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth } from '../../helpers/health.js';
import { startUpstream } from '../../helpers/upstream.js';

/** Per request: the upstream response, so the test decides when each chunk is written. */
const held: ServerResponse[] = [];
const t = { after };
const up = await startUpstream(t, answersHealth((req, res) => {
  const type = req.url!.startsWith('/ndjson') ? 'application/x-ndjson' : req.url!.startsWith('/sse') ? 'text/event-stream' : 'application/octet-stream';
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache' };
  if (req.url!.startsWith('/accel')) headers['x-accel-buffering'] = 'no';
  res.writeHead(200, headers);
  res.flushHeaders();
  held.push(res);
}));
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

interface Stream {
  response: IncomingMessage | undefined;
  received: string;
  ended: boolean;
  close(): void;
}

function open(path: string): Stream {
  const s: Stream = { response: undefined, received: '', ended: false, close: () => req.destroy() };
  const req = request(`${gw.url}${path}`, { headers: { accept: '*/*' } });
  req.on('response', (res) => {
    s.response = res;
    res.setEncoding('utf8');
    res.on('data', (d: string) => { s.received += d; });
    res.on('end', () => { s.ended = true; });
  });
  req.on('error', () => undefined);
  req.end();
  after(() => req.destroy());
  return s;
}

const kinds = [
  { name: 'SSE', path: '/sse', type: 'text/event-stream', chunks: ['event: token\ndata: {"n":1}\n\n', 'event: token\ndata: {"n":2}\n\n', 'data: [DONE]\n\n'] },
  { name: 'NDJSON', path: '/ndjson', type: 'application/x-ndjson', chunks: ['{"n":1}\n', '{"n":2}\n', '{"done":true}\n'] },
  { name: 'X-Accel-Buffering: no', path: '/accel', type: 'application/octet-stream', chunks: ['first;', 'second;', 'third;'] },
];

for (const kind of kinds) {
  test(`${kind.name}: response headers reach the client before any body byte`, async () => {
    const before = held.length;
    const s = open(kind.path);
    const upstreamRes = await waitFor(() => held[before], 'upstream request');
    const response = await waitFor(() => s.response, 'response headers at the client', 5_000);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), new RegExp(kind.type.replace('/', '\\/')));
    assert.equal(upstreamRes.writableEnded, false);
    upstreamRes.end();
    await waitFor(() => s.ended, 'end of stream');
  });

  test(`${kind.name}: each chunk reaches the client while the upstream still holds the stream`, async () => {
    const before = held.length;
    const s = open(kind.path);
    const upstreamRes = await waitFor(() => held[before], 'upstream request');
    let expected = '';
    for (const chunk of kind.chunks) {
      upstreamRes.write(chunk);
      expected += chunk;
      // Bounded: a proxy that buffers never delivers until the upstream ends, and this times out.
      await waitFor(() => s.received === expected || undefined, `chunk ${JSON.stringify(chunk)} at the client`, 5_000);
      assert.equal(upstreamRes.writableEnded, false, 'the upstream is still streaming');
      assert.equal(s.ended, false);
    }
    upstreamRes.end();
    await waitFor(() => s.ended, 'end of stream');
    assert.equal(s.received, kind.chunks.join(''));
  });
}

test('SSE: an upstream that closes mid-stream ends the client response (no hang)', async () => {
  const before = held.length;
  const s = open('/sse');
  const upstreamRes = await waitFor(() => held[before], 'upstream request');
  upstreamRes.write('data: one\n\n');
  await waitFor(() => s.received.includes('data: one') || undefined, 'first event');
  let aborted = false;
  s.response!.on('aborted', () => { aborted = true; });
  s.response!.on('error', () => { aborted = true; });
  s.response!.on('close', () => { aborted = aborted || !s.ended; });
  upstreamRes.socket!.destroy();
  await waitFor(() => aborted || s.ended || undefined, 'client side of the stream to end', 5_000);
  // A cut upstream must not look like a complete response.
  assert.equal(s.ended && !aborted, false);
});

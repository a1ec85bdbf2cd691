// A client that disconnects aborts the upstream request at once: before the upstream answered,
// while a request body is still streaming, and in the middle of a streamed response. The
// exchange is logged with status 499.
import assert from 'node:assert/strict';
import { request, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth } from '../../helpers/health.js';
import { startUpstream } from '../../helpers/upstream.js';

interface Held { req: IncomingMessage; res: ServerResponse; closedAt: number | undefined }

const held = new Map<string, Held>();
const t = { after };
const up = await startUpstream(t, answersHealth((req, res) => {
  const h: Held = { req, res, closedAt: undefined };
  held.set(req.url!, h);
  res.on('close', () => { h.closedAt ??= Date.now(); });
  req.on('data', () => undefined);
  if (req.url === '/mid-stream') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(Buffer.alloc(1024, 1));
  }
  // never finishes on its own
}));
const gw = await startGateway(t, `
clusters:
  - { name: up, timeout: 30s, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

function send(path: string, method = 'GET'): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const req = request(`${gw.url}${path}`, { method, headers: method === 'POST' ? { 'transfer-encoding': 'chunked' } : {} });
  req.on('error', () => undefined);
  const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  after(() => req.destroy());
  return { req, response };
}

/** Within about a second: a proxy that only notices at the upstream timeout (30 s) fails. */
async function upstreamSeesClose(path: string, abortedAt: number): Promise<void> {
  const h = held.get(path)!;
  await waitFor(() => h.closedAt, `upstream to see ${path} closed`, 1_500);
  assert.ok(h.closedAt! - abortedAt < 1_500);
}

const cases: Array<{ name: string; path: string; method: string; prepare(s: ReturnType<typeof send>): Promise<void> }> = [
  {
    name: 'before the upstream sent response headers',
    path: '/waiting',
    method: 'GET',
    prepare: async (s) => { s.req.end(); },
  },
  {
    name: 'while the request body is still streaming',
    path: '/uploading',
    method: 'POST',
    prepare: async (s) => { s.req.write('partial body'); },
  },
  {
    name: 'in the middle of a streamed response',
    path: '/mid-stream',
    method: 'GET',
    prepare: async (s) => {
      s.req.end();
      const res = await s.response;
      await new Promise<void>((resolve) => res.once('data', () => resolve()));
    },
  },
];

for (const c of cases) {
  test(`client abort reaches the upstream ${c.name}`, async () => {
    const s = send(c.path, c.method);
    await c.prepare(s);
    await waitFor(() => held.get(c.path), `upstream to receive ${c.path}`);
    assert.equal(held.get(c.path)!.closedAt, undefined, 'upstream request open before the abort');
    const abortedAt = Date.now();
    s.req.destroy();
    await upstreamSeesClose(c.path, abortedAt);
  });
}

test('an abandoned request is logged with status 499', async () => {
  const line = await waitFor(() => gw.logs().find((l) => l.msg === 'request' && l.path === '/waiting'), 'access log line for /waiting');
  assert.equal(line.status, 499);
});

// LoadBalancer in a plain node:http server (no Fastify): connect failures move to another endpoint
// for HTTP and WebSocket upgrades, ip-hash keeps a client IP on one backend, first-success skips
// backends that do not answer 2xx, weighted splits by weight.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { LoadBalancer, type LoadBalancerOptions } from '../../../data-plane/src/lib/index.js';
import { httpRequest } from '../../helpers/http.js';
import { closedPort, startUpstream } from '../../helpers/upstream.js';
import { nextMessage, openClient, startWsUpstream, wsUrl } from '../../helpers/websocket.js';

const t = { after };

/** A node:http server whose every request and upgrade goes through `lb`. */
async function serve(options: LoadBalancerOptions): Promise<string> {
  const lb = new LoadBalancer(options);
  const server = createServer((req, res) => void lb.proxyPass(req, res));
  server.on('upgrade', (req, socket, head) => void lb.proxyWebSocket(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(async () => {
    await lb.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const text = (name: string, status = 200) => startUpstream(t, (_req, res) => {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(name);
});

test('connect failures are retried on the other endpoint (HTTP and WebSocket)', async () => {
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const ws = await startWsUpstream(t, { http: (_req, res) => res.end('alive') });
  const url = await serve({ endpoints: [{ url: dead, name: 'dead' }, { url: ws.url, name: 'alive' }], balancer: 'round-robin', retries: 1, outlierDetection: false });
  for (let i = 0; i < 4; i++) {
    const res = await httpRequest(`${url}/x`);
    assert.equal(res.status, 200);
    assert.equal(res.text(), 'alive');
  }
  for (let i = 0; i < 2; i++) {
    const client = await openClient(t, wsUrl(url, '/socket'));
    client.send(`m${i}`);
    assert.equal((await nextMessage(client)).data.toString(), `m${i}`);
    client.close();
  }
});

test('without retries a connect failure answers 502 upstream_error', async () => {
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const url = await serve({ endpoints: [dead], retries: 0 });
  const res = await httpRequest(`${url}/x`);
  assert.equal(res.status, 502);
  assert.equal(res.json<{ error: { type: string } }>().error.type, 'upstream_error');
});

test('ip-hash: each client IP keeps its backend', async () => {
  const backends = await Promise.all(['a', 'b', 'c'].map((n) => text(n)));
  const url = await serve({ endpoints: backends.map((b, i) => ({ url: b.url, name: `n${i}` })), balancer: 'ip-hash', trustProxy: ['127.0.0.1/32'] });
  const seen = new Map<string, Set<string>>();
  for (let round = 0; round < 3; round++) {
    for (let c = 1; c <= 12; c++) {
      const ip = `10.0.0.${c}`;
      const res = await httpRequest(`${url}/`, { headers: { 'x-forwarded-for': ip } });
      if (!seen.has(ip)) seen.set(ip, new Set());
      seen.get(ip)!.add(res.text());
    }
  }
  for (const [ip, names] of seen) assert.equal(names.size, 1, `${ip} moved between ${[...names].join(', ')}`);
  assert.ok(new Set([...seen.values()].map((s) => [...s][0])).size > 1, 'clients spread over several backends');
});

test('first-success: endpoints in order until one answers 2xx', async () => {
  const missing = await text('missing', 404);
  const ok = await text('ok');
  const url = await serve({ endpoints: [missing.url, ok.url], balancer: 'first-success' });
  const res = await httpRequest(`${url}/lookup`, { method: 'POST', body: '{"id":1}', headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 200);
  assert.equal(res.text(), 'ok');
  assert.equal(missing.seen.length, 1);
});

test('weighted: a 3:1 split', async () => {
  const heavy = await text('heavy');
  const light = await text('light');
  const url = await serve({ endpoints: [{ url: heavy.url, weight: 3 }, { url: light.url, weight: 1 }], balancer: 'weighted' });
  const names: string[] = [];
  for (let i = 0; i < 8; i++) names.push((await httpRequest(`${url}/`)).text());
  assert.equal(names.filter((n) => n === 'heavy').length, 6);
  assert.equal(names.filter((n) => n === 'light').length, 2);
});

// ip-hash keeps each client IP on one endpoint and remaps only the clients of an endpoint that
// goes away. Client IPs come from X-Forwarded-For, trusted from 127.0.0.0/8 (gateway.trustProxy).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

async function backendFor(url: string, ip: string): Promise<string> {
  const res = await fetch(`${url}/who`, { headers: { 'x-forwarded-for': ip } });
  return ((await res.json()) as { name: string }).name;
}

test('ip-hash: sticky clients, and minimal remapping when one of three endpoints goes', async (t) => {
  const ups = await Promise.all(['a', 'b', 'c'].map(async (n) => ({ n, up: await startUpstream(t, answersHealth(echo(n))) })));
  const gw = await startGateway(t, `
gateway: { trustProxy: ["127.0.0.0/8"] }
healthCheck: { interval: 500ms, timeout: 300ms, unhealthyThreshold: 1 }
clusters:
  - name: c
    balancer: ip-hash
    endpoints:
${ups.map(({ n, up }) => `      - { url: "${up.url}", name: ${n} }`).join('\n')}
routes:
  - { match: { prefix: / }, cluster: c }
`);
  await waitForEndpointStatus(gw, 'c', 'healthy');

  const sticky = await backendFor(gw.url, '198.51.100.7');
  for (let i = 0; i < 20; i++) assert.equal(await backendFor(gw.url, '198.51.100.7'), sticky);

  const ips = Array.from({ length: 300 }, (_, i) => `203.0.${i >> 8}.${i & 255}`);
  const before = new Map<string, string>();
  for (const ip of ips) before.set(ip, await backendFor(gw.url, ip));
  assert.equal(new Set(before.values()).size, 3, 'clients spread over all three');

  await ups.find((u) => u.n === 'c')!.up.close();
  await waitForEndpointStatus(gw, 'c', 'unhealthy', 'c');
  let moved = 0;
  for (const ip of ips) {
    const now = await backendFor(gw.url, ip);
    const was = before.get(ip)!;
    assert.notEqual(now, 'c');
    if (was !== 'c') assert.equal(now, was, `${ip} moved from ${was} to ${now}`);
    if (now !== was) moved++;
  }
  assert.equal(moved, [...before.values()].filter((n) => n === 'c').length);
});

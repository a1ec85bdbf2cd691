// least-latency sends most traffic to the faster of two endpoints (one delayed 80 ms).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('least-latency sends at least 80% of requests to the fast endpoint', async (t) => {
  const fast = await startUpstream(t, answersHealth(echo('fast')));
  const slow = await startUpstream(t, answersHealth((req, res) => setTimeout(() => echo('slow')(req, res), 80)));
  const gw = await startGateway(t, `
healthCheck: { interval: 1s }
clusters:
  - name: c
    balancer: least-latency
    endpoints: [{ url: "${fast.url}", name: fast }, { url: "${slow.url}", name: slow }]
routes:
  - { match: { prefix: / }, cluster: c }
`);
  await waitForEndpointStatus(gw, 'c', 'healthy');
  const names: string[] = [];
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${gw.url}/work`);
    names.push(((await res.json()) as { name: string }).name);
  }
  const fastShare = names.filter((n) => n === 'fast').length / names.length;
  assert.ok(fastShare >= 0.8, `fast got ${Math.round(fastShare * 100)}%`);
});

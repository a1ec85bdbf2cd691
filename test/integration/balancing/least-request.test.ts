// least-request keeps concurrent traffic away from a slow endpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('least-request avoids the slow endpoint under concurrency', async (t) => {
  const fast = await startUpstream(t, answersHealth((req, res) => setTimeout(() => echo('fast')(req, res), 5)));
  const slow = await startUpstream(t, answersHealth((req, res) => setTimeout(() => echo('slow')(req, res), 250)));
  const gw = await startGateway(t, `
clusters:
  - name: c
    balancer: least-request
    endpoints: [{ url: "${fast.url}", name: fast }, { url: "${slow.url}", name: slow }]
routes:
  - { match: { prefix: / }, cluster: c }
`);
  await waitForEndpointStatus(gw, 'c', 'healthy');
  const names: string[] = [];
  // 8 concurrent clients, 120 requests: the slow endpoint holds its requests 50x longer.
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${gw.url}/work`);
      names.push(((await res.json()) as { name: string }).name);
    }
  }));
  const slowCount = names.filter((n) => n === 'slow').length;
  assert.equal(names.length, 120);
  assert.ok(slowCount < 24, `slow got ${slowCount} of 120`);
});

// least-latency sends most traffic to the faster of two endpoints (one delayed 80 ms).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const CONFIG = (fastUrl: string, slowUrl: string): string => `
healthCheck: { interval: 1s }
clusters:
  - name: c
    balancer: least-latency
    endpoints: [{ url: "${fastUrl}", name: fast }, { url: "${slowUrl}", name: slow }]
routes:
  - { match: { prefix: / }, cluster: c }
`;

async function shareOfFast(gwUrl: string, requests: number): Promise<number> {
  let fast = 0;
  for (let i = 0; i < requests; i++) {
    const res = await fetch(`${gwUrl}/work`);
    if (((await res.json()) as { name: string }).name === 'fast') fast++;
  }
  return fast / requests;
}

test('least-latency sends at least 80% of requests to the fast endpoint', async (t) => {
  const fast = await startUpstream(t, answersHealth(echo('fast')));
  const slow = await startUpstream(t, answersHealth((req, res) => setTimeout(() => echo('slow')(req, res), 80)));
  const gw = await startGateway(t, CONFIG(fast.url, slow.url));
  await waitForEndpointStatus(gw, 'c', 'healthy');
  const share = await shareOfFast(gw.url, 60);
  assert.ok(share >= 0.8, `fast got ${Math.round(share * 100)}%`);
});

// A loaded machine can stall one probe: the average of the fast endpoint's probes then stays above
// the slow endpoint's observed latency for seconds, and the fast one must still be tried.
test('a fast endpoint whose first probe was slow still gets the traffic', async (t) => {
  let firstProbe = true;
  const fastHandler = answersHealth(echo('fast'));
  const fast = await startUpstream(t, (req, res) => {
    if (req.url !== '/health' || !firstProbe) return fastHandler(req, res);
    firstProbe = false;
    setTimeout(() => fastHandler(req, res), 300);
  });
  const slow = await startUpstream(t, answersHealth((req, res) => setTimeout(() => echo('slow')(req, res), 80)));
  const gw = await startGateway(t, CONFIG(fast.url, slow.url));
  await waitForEndpointStatus(gw, 'c', 'healthy');
  const share = await shareOfFast(gw.url, 60);
  assert.ok(share >= 0.8, `fast got ${Math.round(share * 100)}%`);
});

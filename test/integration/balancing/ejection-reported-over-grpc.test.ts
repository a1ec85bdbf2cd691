// A remote data plane reports its outlier ejections to the control plane (Discovery.Report), so
// /api/status shows an endpoint ejected that the control plane's own probes call healthy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { answersHealth } from '../../helpers/health.js';
import { controlPlaneStatus, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('an ejection on a gRPC data plane appears on the control plane status, then clears', async (t) => {
  const broken = await startUpstream(t, answersHealth((req, res) => {
    req.resume();
    res.writeHead(502);
    res.end();
  }));
  const good = await startUpstream(t, answersHealth(echo('good')));
  const cp = await startControlPlane(t, {
    yaml: `
clusters:
  - name: c
    retries: 0
    outlierDetection: { consecutiveFailures: 1, ejectionTime: 2s }
    endpoints: [{ url: "${broken.url}", name: broken }, { url: "${good.url}", name: good }]
routes:
  - { match: { prefix: / }, cluster: c }
`,
  });
  const dp = await startDataPlane(t, ['--control-plane', cp.grpc]);
  await waitFor(async () => (await controlPlaneStatus(cp.adminUrl)).clusters[0]!.endpoints.every((e) => e.status === 'healthy') || undefined, 'healthy');
  const statuses = [];
  for (let i = 0; i < 2; i++) statuses.push((await fetch(`${dp.url}/x`)).status);
  assert.ok(statuses.includes(502), `one request met the broken endpoint: ${statuses}`);
  const brokenView = async () => (await controlPlaneStatus(cp.adminUrl)).clusters[0]!.endpoints.find((e) => e.name === 'broken')!;
  await waitFor(async () => (await brokenView()).ejected || undefined, 'ejected on the control plane', 4_000);
  assert.equal((await brokenView()).status, 'healthy', 'the probes still pass: ejection is passive');
  await waitFor(async () => (await brokenView()).ejected === false || undefined, 'ejection over', 6_000);
});

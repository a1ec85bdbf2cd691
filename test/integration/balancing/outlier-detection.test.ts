// Consecutive 5xx answers eject an endpoint locally for ejectionTime; it then comes back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { controlPlaneStatus } from '../../helpers/planes.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('an endpoint answering 5xx is ejected, then tried again after ejectionTime', async (t) => {
  let failing = true;
  const flaky = await startUpstream(t, answersHealth((req, res) => {
    if (failing) {
      res.writeHead(500);
      res.end('broken');
    } else {
      echo('flaky')(req, res);
    }
  }));
  const good = await startUpstream(t, answersHealth(echo('good')));
  const gw = await startGateway(t, `
clusters:
  - name: c
    retries: 0
    outlierDetection: { consecutiveFailures: 2, ejectionTime: 1500ms }
    endpoints: [{ url: "${flaky.url}", name: flaky }, { url: "${good.url}", name: good }]
routes:
  - { match: { prefix: / }, cluster: c }
`);
  await waitForEndpointStatus(gw, 'c', 'healthy');
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await fetch(`${gw.url}/x`)).status);
  assert.equal(statuses.filter((s) => s === 500).length, 2, `round robin hit flaky twice: ${statuses}`);

  const status = await (await fetch(`${gw.url}/api/health/status/c`)).json() as { endpoints: Array<{ name: string; ejected: boolean }> };
  assert.equal(status.endpoints.find((e) => e.name === 'flaky')?.ejected, true);
  for (let i = 0; i < 10; i++) assert.equal((await fetch(`${gw.url}/x`)).status, 200, 'ejected endpoint is skipped');
  // The data plane reports the ejection; the control plane's status (and dashboard) shows it.
  await waitFor(async () => {
    const cp = await controlPlaneStatus(gw.adminUrl);
    return cp.clusters[0]!.endpoints.find((e) => e.name === 'flaky')?.ejected === true || undefined;
  }, 'ejection reported to the control plane', 3_000);

  failing = false;
  const back = await waitFor(async () => {
    const res = await fetch(`${gw.url}/x`);
    return ((await res.json()) as { name: string }).name === 'flaky' || undefined;
  }, 'flaky endpoint back after ejection', 5_000);
  assert.equal(back, true);
});

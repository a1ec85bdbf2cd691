// first-success: endpoints in order until one answers 2xx; the winner is remembered in Redis and
// shared by a second data plane; DELETE /api/route-cache on the control plane clears it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { answersHealth } from '../../helpers/health.js';
import { controlPlaneStatus, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { startRedis } from '../../helpers/redis.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('first-success with a Redis route cache shared by two data planes', async (t) => {
  const redis = await startRedis(t);
  let notHereCalls = 0;
  const notHere = await startUpstream(t, answersHealth((req, res) => {
    notHereCalls++;
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not here"}');
  }));
  const here = await startUpstream(t, answersHealth(echo('here')));
  const cp = await startControlPlane(t, {
    yaml: `
auth: { keys: ["gw-key"] }
redis: { url: "${redis.url}", keyPrefix: "t1:" }
clusters:
  - name: fs
    balancer: first-success
    endpoints: [{ url: "${notHere.url}", name: not-here }, { url: "${here.url}", name: here }]
routes:
  - { match: { prefix: / }, cluster: fs }
`,
  });
  const dp1 = await startDataPlane(t, ['--control-plane', cp.grpc]);
  const dp2 = await startDataPlane(t, ['--control-plane', cp.grpc]);
  await waitFor(async () => {
    const s = await controlPlaneStatus(cp.adminUrl);
    return s.clusters[0]!.endpoints.every((e) => e.status === 'healthy') && s.dataPlanes.length === 2 && s.dataPlanes.every((d) => d.snapshotVersion === s.snapshotVersion) || undefined;
  }, 'both endpoints healthy on both data planes');

  const ask = async (url: string) => {
    const res = await fetch(`${url}/lookup`, { method: 'POST', body: '{"q":1}', headers: { authorization: 'Bearer gw-key', 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as { name?: string } };
  };
  const first = await ask(dp1.url);
  assert.equal(first.status, 200);
  assert.equal(first.body.name, 'here');
  assert.equal(notHereCalls, 1, 'the first endpoint was tried first');

  const shared = await ask(dp2.url);
  assert.equal(shared.body.name, 'here');
  assert.equal(notHereCalls, 1, 'the second data plane used the decision stored in Redis');

  const unauthorized = await fetch(`${cp.adminUrl}/api/route-cache`, { method: 'DELETE' });
  assert.equal(unauthorized.status, 401);
  const cleared = await fetch(`${cp.adminUrl}/api/route-cache`, { method: 'DELETE', headers: { 'x-api-key': 'gw-key' } });
  assert.equal(cleared.status, 204);
  await waitFor(async () => {
    const before = notHereCalls;
    await ask(dp2.url);
    return notHereCalls > before || undefined;
  }, 'the cleared decision is forgotten', 1_000, 100);
});

test('first-success answers with the last response when no endpoint answers 2xx', async (t) => {
  const teapot = await startUpstream(t, answersHealth((req, res) => {
    req.resume();
    res.writeHead(418, { 'content-type': 'text/plain' });
    res.end('teapot');
  }));
  const gone = await startUpstream(t, answersHealth((req, res) => {
    req.resume();
    res.writeHead(410, { 'content-type': 'text/plain' });
    res.end('gone');
  }));
  const cp = await startControlPlane(t, {
    yaml: `
clusters:
  - name: fs
    balancer: first-success
    endpoints: [{ url: "${teapot.url}" }, { url: "${gone.url}" }]
routes:
  - { match: { prefix: / }, cluster: fs }
`,
  });
  const dp = await startDataPlane(t, ['--control-plane', cp.grpc]);
  await waitFor(async () => (await controlPlaneStatus(cp.adminUrl)).clusters[0]!.endpoints.every((e) => e.status === 'healthy') || undefined, 'healthy');
  await waitFor(async () => {
    const res = await fetch(`${dp.url}/x`);
    const text = await res.text();
    return (res.status === 410 && text === 'gone') || undefined;
  }, 'the last answer (410 from the second endpoint)', 5_000);
});

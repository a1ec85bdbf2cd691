// /api/status lists every connected data plane: `portico all`'s in-process one and a separate
// `portico data-plane` fed over gRPC, each with the snapshot version it serves; the gauge counts
// them, and a data plane that stops leaves the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { listeningAddress, startGateway } from '../../helpers/gateway.js';
import { controlPlaneStatus, startDataPlane } from '../../helpers/planes.js';
import { scrape, startProbedBackend, value } from './observe.js';

test('/api/status lists the in-process and a gRPC data plane', async (t) => {
  const a = await startProbedBackend(t, 'a');
  const gw = await startGateway(t, `
clusters:
  - name: api
    endpoints:
      - { url: "${a.url}", name: a }
routes:
  - { name: api, match: { prefix: / }, cluster: api }
`);
  const grpc = (await listeningAddress(gw, 'grpc')).replace(/^http:\/\//, '');
  const dp = await startDataPlane(t, ['--control-plane', grpc]);

  const status = await waitFor(async () => {
    const s = await controlPlaneStatus(gw.adminUrl);
    return s.dataPlanes.length === 2 && s.dataPlanes.every((d) => d.snapshotVersion === s.snapshotVersion) ? s : undefined;
  }, 'two data planes on the current version');
  assert.deepEqual(status.dataPlanes.map((d) => d.transport).sort(), ['grpc', 'in-process']);
  for (const d of status.dataPlanes) {
    assert.deepEqual(Object.keys(d).sort(), ['connectedAt', 'id', 'snapshotVersion', 'transport']);
    assert.ok(d.id.length > 0);
    assert.ok(!Number.isNaN(Date.parse(d.connectedAt)), `connectedAt ${d.connectedAt}`);
  }
  assert.notEqual(status.dataPlanes[0]!.id, status.dataPlanes[1]!.id);
  assert.equal(value(await scrape(gw.adminUrl), 'portico_data_planes_connected'), 2);
  // The gRPC data plane really serves that snapshot.
  assert.equal((await fetch(`${dp.url}/x`)).status, 200);

  await dp.stop();
  const after = await waitFor(async () => {
    const s = await controlPlaneStatus(gw.adminUrl);
    return s.dataPlanes.length === 1 ? s : undefined;
  }, 'the stopped data plane leaves the list');
  assert.equal(after.dataPlanes[0]!.transport, 'in-process');
  assert.equal(value(await scrape(gw.adminUrl), 'portico_data_planes_connected'), 1);
});

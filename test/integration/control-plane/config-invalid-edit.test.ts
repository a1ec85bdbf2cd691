// An invalid edit is rejected: logged with its field paths, counted as a failure, and the running
// configuration keeps serving unchanged.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { controlPlaneStatus, hit, metric } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

test('invalid config edit: nothing changes, the failure is logged with field paths and counted', async (t) => {
  const a = await startBackend(t, 'a');
  const gw = await startGateway(t, clusterYaml([a]));
  const before = await controlPlaneStatus(gw.adminUrl);
  const original = readFileSync(gw.configPath, 'utf8');

  writeFileSync(gw.configPath, original.replace('unhealthyThreshold: 2', 'unhealthyThreshold: 0').replace('cluster: c', 'cluster: c\n    bogus: true'));
  const rejected = await waitFor(() => gw.logs().find((l) => l.msg?.toString().startsWith('configuration reload rejected')), 'rejection logged');
  const paths = (rejected.problems as Array<{ path: string }>).map((p) => p.path).sort();
  assert.deepEqual(paths, ['healthCheck.unhealthyThreshold', 'routes[0].bogus']);

  assert.equal(await metric(gw.adminUrl, 'portico_config_reloads_total', 'result="failure"'), 1);
  assert.equal(await metric(gw.adminUrl, 'portico_config_reloads_total', 'result="success"'), undefined);
  const after = await controlPlaneStatus(gw.adminUrl);
  assert.equal(after.configVersion, before.configVersion);
  assert.deepEqual(await hit(gw.url, '/still'), { status: 200, name: 'a' });

  // Fixing the file is picked up again.
  writeFileSync(gw.configPath, original.replace('prefix: /', 'prefix: /fixed'));
  await waitFor(async () => (await controlPlaneStatus(gw.adminUrl)).configVersion !== before.configVersion || undefined, 'fixed config accepted');
  assert.equal((await hit(gw.url, '/still')).status, 404);
  assert.equal(await metric(gw.adminUrl, 'portico_config_reloads_total', 'result="success"'), 1);
});

// A configuration edit adds a route without a restart, however the file changes: written in place,
// replaced by rename, or a Kubernetes ConfigMap symlink swap.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { listeningAddress, runPortico } from '../../helpers/gateway.js';
import { hit, metric } from '../../helpers/planes.js';
import { startBackend, type SwitchableBackend } from './backends.js';

const config = (b: SwitchableBackend, prefixes: string[]) => `
clusters:
  - name: c
    endpoints: [{ url: "${b.url}", name: ${b.name} }]
routes:
${prefixes.map((p) => `  - { name: r${p.replace('/', '-')}, match: { prefix: ${p} }, cluster: c }`).join('\n')}
`;

async function startAll(t: Parameters<typeof runPortico>[0], configPath: string) {
  const p = runPortico(t, ['all', '-c', configPath, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0', '--drain-timeout', '1s']);
  const url = await listeningAddress(p, 'traffic');
  const adminUrl = await listeningAddress(p, 'admin');
  await waitFor(async () => (await fetch(`${adminUrl}/readyz`)).status === 200 || undefined, 'ready');
  return { url, adminUrl };
}

const served = (url: string, path: string) => waitFor(async () => (await hit(url, path)).status === 200 || undefined, `route ${path}`, 10_000);

test('config edit: in-place write and rename-replace each add a route without restart', async (t) => {
  const b = await startBackend(t, 'b');
  const dir = mkdtempSync(join(tmpdir(), 'portico-edit-'));
  const path = join(dir, 'portico.yaml');
  writeFileSync(path, config(b, ['/a']));
  const gw = await startAll(t, path);
  assert.equal((await hit(gw.url, '/b')).status, 404);

  writeFileSync(path, config(b, ['/a', '/b'])); // in place
  await served(gw.url, '/b');

  writeFileSync(join(dir, '.portico.yaml.tmp'), config(b, ['/a', '/b', '/c']));
  renameSync(join(dir, '.portico.yaml.tmp'), path); // editor-style replace
  await served(gw.url, '/c');
  assert.equal((await hit(gw.url, '/a')).status, 200);
  assert.equal(await metric(gw.adminUrl, 'portico_config_reloads_total', 'result="success"'), 2);
});

test('config edit: a ConfigMap ..data symlink swap adds a route without restart', async (t) => {
  const b = await startBackend(t, 'b');
  // kubelet's layout: portico.yaml -> ..data/portico.yaml, ..data -> ..<timestamp>/
  const dir = mkdtempSync(join(tmpdir(), 'portico-configmap-'));
  mkdirSync(join(dir, '..v1'));
  writeFileSync(join(dir, '..v1', 'portico.yaml'), config(b, ['/a']));
  symlinkSync('..v1', join(dir, '..data'));
  symlinkSync(join('..data', 'portico.yaml'), join(dir, 'portico.yaml'));
  const gw = await startAll(t, join(dir, 'portico.yaml'));
  assert.equal((await hit(gw.url, '/b')).status, 404);

  mkdirSync(join(dir, '..v2'));
  writeFileSync(join(dir, '..v2', 'portico.yaml'), config(b, ['/a', '/b']));
  symlinkSync('..v2', join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data')); // the atomic swap kubelet does
  await served(gw.url, '/b');
});

// The config watcher reacts to its own file (and Kubernetes' ..data swap), not to every file in
// the folder: a log written next to the configuration re-armed the debounce timer on each write.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfigFile, type LoadedConfig } from '../../../shared/src/config/index.js';
import { controlPlaneMetrics } from '../../../shared/src/metrics.js';
import { watchConfig } from '../../../control-plane/src/config/watch.js';
import { realTimers, type Timers } from '../../../control-plane/src/timers.js';

const config = (route: string) => `
clusters: [{ name: api, endpoints: [{ url: "http://127.0.0.1:9" }] }]
routes: [{ name: ${route}, match: { prefix: /${route} }, cluster: api }]
`;

const DEBOUNCE_MS = 50;

test('writes to other files in the folder schedule nothing; a write to the file reloads it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-watch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'portico.yaml');
  writeFileSync(path, config('one'));
  let debounces = 0;
  const timers: Timers = { ...realTimers, setTimeout: (fn, ms) => { if (ms === DEBOUNCE_MS) debounces++; return realTimers.setTimeout(fn, ms); } };
  const loaded: LoadedConfig[] = [];
  const watcher = watchConfig({
    path, env: {}, initial: loadConfigFile(path, {}), logger: pino({ level: 'silent' }),
    metrics: controlPlaneMetrics(new Registry()), timers, onConfig: (c) => loaded.push(c), debounceMs: DEBOUNCE_MS, pollMs: 0, sighup: false,
  });
  t.after(() => watcher.close());

  for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'portico.log'), `line ${i}\n`, { flag: 'a' });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(debounces, 0, 'a neighbouring log file scheduled reloads');

  writeFileSync(path, config('two'));
  const deadline = Date.now() + 3_000;
  while (loaded.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(debounces > 0);
  assert.deepEqual(loaded.map((c) => c.config.routes.map((r) => r.name)), [['two']]);
});

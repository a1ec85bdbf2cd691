// The snapshot runner: a version per config change at once, per status flip within the coalescing
// window, and latency-only drift at most once per latencyIntervalMs (fake clock).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { parseConfig } from '../../../shared/src/config/index.js';
import { decodeSnapshot } from '../../../shared/src/snapshot/codec.js';
import type { HealthMessage, SnapshotMessage } from '../../../control-plane/src/messages.js';
import { SnapshotRunner } from '../../../control-plane/src/snapshot/runner.js';
import { FakeTimers } from '../../../control-plane/src/timers.js';

const YAML = (extra = '') => `
clusters:
  - name: c
    endpoints: [{ url: http://127.0.0.1:1, name: a }, { url: http://127.0.0.1:2, name: b }]
routes:
  - { match: { prefix: / }, cluster: c }${extra}
`;
const load = (yaml: string) => ({ ...parseConfig(yaml, {}, '/'), path: '/portico.yaml' });
const health = (endpoint: string, status: HealthMessage['status'], latencyMs: number, changed: boolean): HealthMessage =>
  ({ key: `c/${endpoint}`, cluster: 'c', endpoint, status, latencyMs, lastCheck: '2025-01-01T00:00:00.000Z', changed });

function setup() {
  const timers = new FakeTimers(0);
  const published: SnapshotMessage[] = [];
  const runner = new SnapshotRunner({ runId: 'run-1', timers, logger: pino({ level: 'silent' }), publish: (m) => published.push(m), flipDelayMs: 5, latencyIntervalMs: 5_000 });
  return { timers, published, runner };
}

test('snapshot runner: config at once, flips coalesced, latency drift rate-limited, unchanged latency ignored', () => {
  const { timers, published, runner } = setup();
  runner.setConfig(load(YAML()));
  assert.deepEqual(published.map((m) => [m.version, m.reason]), [[1, 'config']]);

  // Two flips inside the window share one version.
  runner.onHealth(health('a', 'HEALTHY', 10, true));
  timers.advance(2);
  runner.onHealth(health('b', 'UNHEALTHY', 0, true));
  assert.equal(published.length, 1);
  timers.advance(5);
  assert.deepEqual(published.map((m) => m.version), [1, 2]);
  const v2 = decodeSnapshot(published[1]!.encoded);
  assert.deepEqual(v2.clusters[0]!.endpoints.map((e) => [e.name, e.status, e.latencyMs]), [['a', 'HEALTHY', 10], ['b', 'UNHEALTHY', 0]]);
  assert.equal(v2.runId, 'run-1');

  // Latency within 10% (or < 1 ms) is not drift.
  runner.onHealth(health('a', 'HEALTHY', 10.5, false));
  timers.advance(10_000);
  assert.equal(published.length, 2);

  // Real drift: published no earlier than 5 s after the previous version, however often it comes.
  runner.onHealth(health('a', 'HEALTHY', 40, false));
  timers.advance(0);
  assert.equal(published.length, 3, 'the last version is older than 5 s, so drift goes out at once');
  const t3 = timers.now();
  for (let i = 0; i < 40; i++) {
    runner.onHealth(health('a', 'HEALTHY', 100 + i * 50, false));
    timers.advance(100);
  }
  assert.equal(published.length, 3, 'no second latency version within 5 s');
  timers.advance(5_000 - (timers.now() - t3));
  assert.equal(published.length, 4);
  assert.equal(published[3]!.reason, 'latency');
  assert.equal(published[3]!.version - published[2]!.version, 1);

  // A flip does not wait for the latency gap.
  runner.onHealth(health('a', 'UNHEALTHY', 2000, true));
  timers.advance(5);
  assert.equal(published.length, 5);
  assert.equal(published[4]!.reason, 'health');
});

test('snapshot runner: a config change drops health of removed endpoints and bumps the version at once', () => {
  const { published, runner } = setup();
  runner.setConfig(load(YAML()));
  runner.onHealth(health('a', 'HEALTHY', 10, true));
  runner.setConfig(load(YAML().replace(', { url: http://127.0.0.1:2, name: b }', '')));
  assert.deepEqual(published.map((m) => [m.version, m.reason]), [[1, 'config'], [2, 'config']]);
  const v2 = decodeSnapshot(published[1]!.encoded);
  assert.deepEqual(v2.clusters[0]!.endpoints.map((e) => [e.name, e.status]), [['a', 'HEALTHY']]);
  assert.equal(runner.healthOf('c', 'b'), undefined);
});

test('snapshot runner: the connected data planes are listed in a new version when they change', () => {
  const { timers, published, runner } = setup();
  runner.setConfig(load(YAML()));
  runner.setDataPlanes(['dp-2', 'dp-1']);
  timers.advance(5);
  assert.deepEqual(published.map((m) => [m.version, m.reason]), [[1, 'config'], [2, 'data-planes']]);
  assert.deepEqual(decodeSnapshot(published[1]!.encoded).dataPlanes, ['dp-1', 'dp-2']);
  runner.setDataPlanes(['dp-1', 'dp-2']); // same set: no version
  timers.advance(10);
  assert.equal(published.length, 2);
});

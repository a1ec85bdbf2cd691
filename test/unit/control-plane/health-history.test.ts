// The dashboard's health history is bounded: 60 one-minute buckets that roll over with the clock,
// the last 30 latencies, endpoints forgotten when they leave the configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthHistory, LATENCY_SAMPLES } from '../../../control-plane/src/health/history.js';
import type { HealthMessage } from '../../../control-plane/src/messages.js';

function probe(endpoint: string, healthy: boolean, latencyMs = 5): HealthMessage {
  return { key: `c/${endpoint}`, cluster: 'c', endpoint, status: healthy ? 'HEALTHY' : 'UNHEALTHY', latencyMs, lastCheck: 'x', changed: false };
}

test('availability over the last hour, per minute, rolling with the clock', () => {
  let now = Date.UTC(2025, 0, 1, 12, 0, 30);
  const h = new HealthHistory(() => now);
  assert.equal(h.get('c', 'e').availability, null);
  for (let i = 0; i < 3; i++) h.record(probe('e', true));
  h.record(probe('e', false));
  let e = h.get('c', 'e');
  assert.equal(e.availability, 0.75);
  assert.equal(e.probes, 4);
  assert.equal(e.minutes.length, 60);
  assert.deepEqual(e.minutes.at(-1), { start: '2025-01-01T12:00:00.000Z', healthy: 3, total: 4 });

  now += 60_000;
  h.record(probe('e', false));
  e = h.get('c', 'e');
  assert.deepEqual(e.minutes.slice(-2).map((m) => [m.healthy, m.total]), [[3, 4], [0, 1]]);
  assert.equal(e.availability, 3 / 5);

  // An hour later the first minute has left the window; its ring slot is reused, not summed.
  now += 59 * 60_000;
  h.record(probe('e', true));
  e = h.get('c', 'e');
  assert.equal(e.probes, 2);
  assert.equal(e.availability, 0.5);
  now += 2 * 60 * 60_000;
  assert.equal(h.get('c', 'e').availability, null, 'nothing in the last hour');
});

test('latency samples keep only the last 30, oldest first; resets are not probes', () => {
  const h = new HealthHistory(() => 0);
  for (let i = 1; i <= 45; i++) h.record(probe('e', i % 10 !== 0, i));
  h.record({ ...probe('e', true), status: 'UNKNOWN', lastCheck: '', changed: true });
  const { latency, probes } = h.get('c', 'e');
  assert.equal(probes, 45);
  assert.equal(latency.length, LATENCY_SAMPLES);
  assert.deepEqual(latency.map((s) => s.ms), Array.from({ length: 30 }, (_, i) => i + 16));
  assert.deepEqual(latency.filter((s) => !s.healthy).map((s) => s.ms), [20, 30, 40]);
});

test('retain forgets endpoints that left the configuration', () => {
  const h = new HealthHistory(() => 0);
  h.record(probe('a', true));
  h.record(probe('b', true));
  h.retain(new Set(['c/a']));
  assert.equal(h.get('c', 'a').probes, 1);
  assert.equal(h.get('c', 'b').probes, 0);
});

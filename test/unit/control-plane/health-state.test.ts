// The health state machine: the first result decides, then thresholds; only flips are reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EndpointHealthState } from '../../../control-plane/src/health/state.js';

const T = { healthyThreshold: 2, unhealthyThreshold: 3 };

const table: Array<{ name: string; results: boolean[]; flips: boolean[]; status: string }> = [
  { name: 'first pass decides healthy', results: [true], flips: [true], status: 'HEALTHY' },
  { name: 'first failure decides unhealthy', results: [false], flips: [true], status: 'UNHEALTHY' },
  { name: 'failures below the threshold do not flip', results: [true, false, false, true, false, false], flips: [true, false, false, false, false, false], status: 'HEALTHY' },
  { name: 'unhealthyThreshold consecutive failures flip', results: [true, false, false, false], flips: [true, false, false, true], status: 'UNHEALTHY' },
  { name: 'healthyThreshold consecutive passes recover', results: [false, true, true], flips: [true, false, true], status: 'HEALTHY' },
  { name: 'an interrupted recovery starts over', results: [false, true, false, true], flips: [true, false, false, false], status: 'UNHEALTHY' },
];

for (const row of table) {
  test(`health state: ${row.name}`, () => {
    const s = new EndpointHealthState();
    assert.equal(s.status, 'UNKNOWN');
    const flips = row.results.map((r, i) => s.observe(r, 10, `t${i}`, T));
    assert.deepEqual(flips, row.flips);
    assert.equal(s.status, row.status);
    assert.equal(s.lastCheck, `t${row.results.length - 1}`);
  });
}

test('health state: latency is smoothed over passing probes only', () => {
  const s = new EndpointHealthState();
  s.observe(true, 100, 'a', T);
  assert.equal(s.latencyMs, 100);
  s.observe(true, 200, 'b', T);
  assert.equal(s.latencyMs, 130); // 100 + 0.3 * (200 - 100)
  s.observe(false, 2000, 'c', T);
  assert.equal(s.latencyMs, 130);
});

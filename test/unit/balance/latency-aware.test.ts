import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeastLatencyPicker } from '../../../data-plane/src/balance/least-latency.js';
import { LeastRequestPicker } from '../../../data-plane/src/balance/least-request.js';
import { counts, endpoints, seededRandom } from './endpoints.js';

test('least latency prefers the endpoint with the lower probe latency', () => {
  const picker = new LeastLatencyPicker(endpoints([{ name: 'slow', latencyMs: 80 }, { name: 'fast', latencyMs: 2 }]), seededRandom());
  const c = counts(Array.from({ length: 100 }, () => picker.pick({ now: 0, clientIp: '' })?.name));
  assert.deepEqual(c, { fast: 100 });
});

test('least latency refines probe latency with observed request latency', () => {
  const list = endpoints([{ name: 'a', latencyMs: 5 }, { name: 'b', latencyMs: 5 }]);
  for (let t = 0; t < 5; t++) list[0]!.runtime.latency.observe(80, t);
  const picker = new LeastLatencyPicker(list, seededRandom());
  const c = counts(Array.from({ length: 50 }, () => picker.pick({ now: 10, clientIp: '' })?.name));
  assert.deepEqual(c, { b: 50 });
});

test('an observation fades: an idle slow endpoint is tried again once its probe says it is fast', () => {
  const list = endpoints([{ name: 'a', latencyMs: 5 }, { name: 'b', latencyMs: 5 }]);
  list[0]!.runtime.latency.observe(80, 0);
  assert.ok(list[0]!.runtime.latency.latency(5, 60_000) < 6);
});

test('a fast endpoint behind a stale slow probe gets one request to measure it, then the traffic', () => {
  const list = endpoints([{ name: 'fast', latencyMs: 300 }, { name: 'slow', latencyMs: 1 }]);
  list[1]!.runtime.latency.observe(80, 0);
  const picker = new LeastLatencyPicker(list, seededRandom());
  assert.equal(picker.pick({ now: 1, clientIp: '' })?.name, 'fast');
  assert.equal(picker.pick({ now: 2, clientIp: '' })?.name, 'slow', 'one trial at a time');
  list[0]!.runtime.latency.observe(1, 3);
  const c = counts(Array.from({ length: 50 }, () => picker.pick({ now: 4, clientIp: '' })?.name));
  assert.deepEqual(c, { fast: 50 });
});

test('a loaded machine that inflates every probe still lets the fast endpoint be measured', () => {
  const list = endpoints([{ name: 'fast', latencyMs: 300 }, { name: 'slow', latencyMs: 40 }]);
  list[1]!.runtime.latency.observe(80, 0);
  const picker = new LeastLatencyPicker(list, seededRandom());
  assert.equal(picker.pick({ now: 1, clientIp: '' })?.name, 'fast');
  list[0]!.runtime.latency.observe(1, 2);
  assert.equal(picker.pick({ now: 3, clientIp: '' })?.name, 'fast');
});

test('a fast endpoint that had one slow response is measured again after 5 s, and that sample counts whole', () => {
  const list = endpoints([{ name: 'fast', latencyMs: 1 }, { name: 'slow', latencyMs: 1 }]);
  const took: Record<string, number> = { fast: 1, slow: 80 };
  list[0]!.runtime.latency.observe(500, 0);
  list[1]!.runtime.latency.observe(80, 0);
  const picker = new LeastLatencyPicker(list, seededRandom());
  const fastAt: number[] = [];
  for (let now = 10; now < 20_000; now += 10) {
    const e = picker.pick({ now, clientIp: '' })!;
    if (e.name === 'fast') fastAt.push(now);
    e.runtime.latency.observe(took[e.name]!, now);
  }
  assert.deepEqual(fastAt.slice(0, 3), [5_000, 5_010, 5_020], 'one trial after 5 s, then every request');
  assert.equal(fastAt.length, (20_000 - 5_000) / 10);
});

test('probes a loaded machine inflated on both endpoints still let the unmeasured fast one be tried', () => {
  // Both probes took 190 ms; the first request went to the slow endpoint and took 85 ms, below
  // its probe. The fast endpoint's estimate is still its 190 ms probe.
  const list = endpoints([{ name: 'fast', latencyMs: 190 }, { name: 'slow', latencyMs: 190 }]);
  const took: Record<string, number> = { fast: 2, slow: 85 };
  list[1]!.runtime.latency.observe(85, 0);
  const picker = new LeastLatencyPicker(list, seededRandom());
  const c: Record<string, number> = {};
  for (let now = 10; now <= 3_000; now += 10) {
    const e = picker.pick({ now, clientIp: '' })!;
    c[e.name] = (c[e.name] ?? 0) + 1;
    e.runtime.latency.observe(took[e.name]!, now);
  }
  assert.deepEqual(c, { fast: 300 });
});

test('no request is spent on a slower endpoint while probes agree with requests', () => {
  const list = endpoints([{ name: 'fast', latencyMs: 1 }, { name: 'slow', latencyMs: 80 }, { name: 'measured-slow', latencyMs: 1 }]);
  const took: Record<string, number> = { fast: 1.5, slow: 80, 'measured-slow': 80 };
  list[2]!.runtime.latency.observe(80, 0);
  const picker = new LeastLatencyPicker(list, seededRandom());
  const c: Record<string, number> = {};
  for (let now = 0; now < 20_000; now += 10) {
    const e = picker.pick({ now, clientIp: '' })!;
    c[e.name] = (c[e.name] ?? 0) + 1;
    e.runtime.latency.observe(took[e.name]!, now);
  }
  assert.deepEqual(c, { fast: 2_000 });
});

test('least latency spreads near-ties instead of herding', () => {
  const picker = new LeastLatencyPicker(endpoints([{ name: 'a', latencyMs: 10 }, { name: 'b', latencyMs: 10.5 }, { name: 'c', latencyMs: 10.2 }]), seededRandom(7));
  const c = counts(Array.from({ length: 300 }, () => picker.pick({ now: 0, clientIp: '' })?.name));
  for (const name of ['a', 'b', 'c']) assert.ok((c[name] ?? 0) > 60, `${name} got ${c[name]}`);
});

test('least request avoids the endpoint with more requests in flight', () => {
  const list = endpoints([{ name: 'busy', latencyMs: 5 }, { name: 'idle', latencyMs: 5 }]);
  list[0]!.runtime.inFlight = 10;
  const picker = new LeastRequestPicker(list, seededRandom());
  const c = counts(Array.from({ length: 100 }, () => picker.pick({ now: 0, clientIp: '' })?.name));
  assert.deepEqual(c, { idle: 100 });
});

test('least request weighs in-flight counts by peak-EWMA latency', () => {
  const list = endpoints([{ name: 'slow' }, { name: 'fast' }]);
  list[0]!.runtime.latency.observe(100, 0);
  list[1]!.runtime.latency.observe(5, 0);
  list[1]!.runtime.inFlight = 3; // 4 x 5 ms still beats 1 x 100 ms
  const picker = new LeastRequestPicker(list, seededRandom());
  assert.equal(picker.pick({ now: 1, clientIp: '' })?.name, 'fast');
});

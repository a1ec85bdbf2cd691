import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoundRobinPicker } from '../../../data-plane/src/balance/round-robin.js';
import { WeightedPicker } from '../../../data-plane/src/balance/weighted.js';
import { counts, endpoints } from './endpoints.js';

const ctx = { now: 0, clientIp: '10.0.0.1' };

test('round robin cycles through the endpoints in order', () => {
  const picker = new RoundRobinPicker(endpoints([{ name: 'a' }, { name: 'b' }, { name: 'c' }]));
  const seq = Array.from({ length: 6 }, () => picker.pick(ctx)?.name);
  assert.deepEqual(seq, ['a', 'b', 'c', 'a', 'b', 'c']);
});

test('round robin skips excluded and ejected endpoints', () => {
  const list = endpoints([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  list[1]!.runtime.ejectedUntil = 1_000;
  const picker = new RoundRobinPicker(list);
  const seq = Array.from({ length: 4 }, () => picker.pick(ctx, (e) => e.name === 'c')?.name);
  assert.deepEqual(seq, ['a', 'a', 'a', 'a']);
  assert.equal(new RoundRobinPicker(list).pick(ctx, () => true), undefined);
});

test('smooth weighted round robin interleaves 5:1:1 as NGINX does', () => {
  const picker = new WeightedPicker(endpoints([{ name: 'a', weight: 5 }, { name: 'b', weight: 1 }, { name: 'c', weight: 1 }]));
  const seq = Array.from({ length: 7 }, () => picker.pick(ctx)?.name);
  assert.deepEqual(seq, ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
});

test('weighted distribution follows the weights', () => {
  const picker = new WeightedPicker(endpoints([{ name: 'a', weight: 3 }, { name: 'b', weight: 1 }]));
  const c = counts(Array.from({ length: 400 }, () => picker.pick(ctx)?.name));
  assert.deepEqual(c, { a: 300, b: 100 });
});

test('an endpoint at its concurrency cap is skipped', () => {
  const list = endpoints([{ name: 'a', maxRequests: 1 }, { name: 'b' }]);
  list[0]!.runtime.inFlight = 1;
  const picker = new RoundRobinPicker(list);
  assert.deepEqual(Array.from({ length: 3 }, () => picker.pick(ctx)?.name), ['b', 'b', 'b']);
});

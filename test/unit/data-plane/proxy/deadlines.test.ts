// One timer for every in-flight deadline: entries expire once, after their own deadline, whatever
// order they were added in; removed ones never do.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadlines, type Expiring } from '../../../../data-plane/src/proxy/deadlines.js';

class Entry implements Expiring {
  deadline: number;
  expiringPrev: Expiring | undefined = undefined;
  expiringNext: Expiring | undefined = undefined;
  expiredAt: number[] = [];
  onExpire: () => void = () => undefined;
  constructor(inMs: number) {
    this.deadline = performance.now() + inMs;
  }
  expire(): void {
    this.expiredAt.push(performance.now());
    this.onExpire();
  }
}

test('an entry expires once, not before its deadline', async () => {
  const list = new Deadlines();
  const e = new Entry(40);
  list.add(e);
  await sleep(20);
  assert.deepEqual(e.expiredAt, []);
  await sleep(120);
  assert.equal(e.expiredAt.length, 1);
  assert.ok(e.expiredAt[0]! >= e.deadline, 'expired early');
});

test('a removed entry never expires, and removing it twice is harmless', async () => {
  const list = new Deadlines();
  const kept = new Entry(30);
  const removed = new Entry(30);
  list.add(kept);
  list.add(removed);
  list.remove(removed);
  list.remove(removed);
  await sleep(100);
  assert.deepEqual(removed.expiredAt, []);
  assert.equal(kept.expiredAt.length, 1);
});

test('an entry added after a later one expires at its own, earlier deadline', async () => {
  const list = new Deadlines();
  const late = new Entry(600);
  list.add(late);
  const early = new Entry(30);
  list.add(early);
  await sleep(200);
  assert.equal(early.expiredAt.length, 1, 'the timer armed for the later entry was not moved earlier');
  assert.deepEqual(late.expiredAt, []);
  list.remove(late);
});

test('a deadline moved later is honoured; one moved earlier takes effect once due() is told', async () => {
  const list = new Deadlines();
  const extended = new Entry(30);
  const shortened = new Entry(5_000);
  list.add(extended);
  list.add(shortened);
  extended.deadline = performance.now() + 150;
  shortened.deadline = performance.now() + 40;
  list.due(shortened.deadline);
  await sleep(100);
  assert.deepEqual(extended.expiredAt, [], 'expired at its old deadline');
  assert.equal(shortened.expiredAt.length, 1);
  await sleep(150);
  assert.equal(extended.expiredAt.length, 1);
});

test('an expiry that removes another due entry does not lose or repeat any', async () => {
  const list = new Deadlines();
  const a = new Entry(20);
  const b = new Entry(20);
  const c = new Entry(20);
  a.onExpire = () => list.remove(b);
  for (const e of [a, b, c]) list.add(e);
  await sleep(100);
  assert.deepEqual([a, b, c].map((e) => e.expiredAt.length), [1, 1, 1]);
});

test('an entry without a deadline (Infinity: paused by its client) stays until its deadline is set', async () => {
  const list = new Deadlines();
  const paused = new Entry(0);
  paused.deadline = Infinity;
  list.add(paused);
  await sleep(50);
  assert.deepEqual(paused.expiredAt, []);
  paused.deadline = performance.now() + 20;
  list.due(paused.deadline);
  await sleep(80);
  assert.equal(paused.expiredAt.length, 1);
});

// One schedule for every probe: entries fire in due order on one timer; rescheduling replaces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Schedule } from '../../../control-plane/src/health/schedule.js';
import { FakeTimers } from '../../../control-plane/src/timers.js';

test('schedule: fires in due order with a single armed timer, replacing and cancelling entries', () => {
  const timers = new FakeTimers(0);
  const fired: string[] = [];
  const s = new Schedule(timers, (key) => fired.push(`${key}@${timers.now()}`));
  for (let i = 0; i < 1000; i++) s.at(`e${i}`, 1000 + (i % 10));
  s.at('early', 5);
  s.at('moved', 50);
  s.at('moved', 700); // replaces the entry at 50
  s.at('gone', 10);
  s.cancel('gone');
  assert.equal(timers.size, 1, 'one timer for every entry');
  timers.advance(999);
  assert.deepEqual(fired, ['early@5', 'moved@700']);
  timers.advance(20);
  assert.equal(fired.length, 1002);
  assert.equal(s.size, 0);
  assert.equal(timers.size, 0);
});

test('schedule: an entry added from inside a firing callback runs at its own time', () => {
  const timers = new FakeTimers(0);
  const fired: number[] = [];
  const s = new Schedule(timers, (key) => {
    fired.push(timers.now());
    if (fired.length < 3) s.at(key, timers.now() + 100);
  });
  s.at('a', 0);
  timers.advance(1000);
  assert.deepEqual(fired, [0, 100, 200]);
});

test('schedule: entries run up to their slack early, sharing the wake-up of an entry that is due', () => {
  const timers = new FakeTimers(0);
  const fired: string[] = [];
  const s = new Schedule(timers, (key) => fired.push(`${key}@${timers.now()}`));
  s.at('first', 100);
  s.at('no-slack', 120);
  s.at('within-slack', 140, 50);
  s.at('beyond-slack', 200, 50);
  timers.advance(100);
  assert.deepEqual(fired, ['first@100'], 'no-slack (due 120) comes first in due order and is not due yet');
  timers.advance(20);
  assert.deepEqual(fired, ['first@100', 'no-slack@120', 'within-slack@120']);
  timers.advance(60);
  assert.equal(fired.length, 3, 'nothing wakes the schedule before beyond-slack is due');
  timers.advance(20);
  assert.deepEqual(fired.slice(3), ['beyond-slack@200']);
  assert.equal(timers.size, 0);
});

test('schedule: any sequence of schedules, reschedules, cancels and clock moves fires like a sorted list', () => {
  type Op = { kind: 'at'; key: number; delta: number } | { kind: 'cancel'; key: number } | { kind: 'advance'; ms: number };
  const op = fc.oneof(
    fc.record({ kind: fc.constant('at' as const), key: fc.nat(7), delta: fc.nat(60) }),
    fc.record({ kind: fc.constant('cancel' as const), key: fc.nat(7) }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.nat(40) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops: Op[]) => {
    const timers = new FakeTimers(0);
    const fired: string[] = [];
    const s = new Schedule(timers, (key) => fired.push(`${key}@${timers.now()}`));
    // The model: key -> [due, order of scheduling]; due entries leave in (due, order) order.
    const model = new Map<string, [number, number]>();
    const expected: string[] = [];
    let order = 0;
    for (const o of ops) {
      if (o.kind === 'at') {
        s.at(`k${o.key}`, timers.now() + o.delta);
        model.set(`k${o.key}`, [timers.now() + o.delta, order++]);
      } else if (o.kind === 'cancel') {
        s.cancel(`k${o.key}`);
        model.delete(`k${o.key}`);
      } else {
        const end = timers.now() + o.ms;
        const due = [...model].filter(([, [at]]) => at <= end).sort(([, a], [, b]) => a[0] - b[0] || a[1] - b[1]);
        for (const [key, [at]] of due) {
          expected.push(`${key}@${at}`);
          model.delete(key);
        }
        timers.advance(o.ms);
      }
      assert.deepEqual(fired, expected);
      assert.equal(s.size, model.size);
      for (let k = 0; k < 8; k++) assert.equal(s.has(`k${k}`), model.has(`k${k}`));
      assert.ok(timers.size <= 1, 'at most one armed timer');
    }
  }), { numRuns: 300 });
});

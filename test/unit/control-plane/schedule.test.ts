// One schedule for every probe: entries fire in due order on one timer; rescheduling replaces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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

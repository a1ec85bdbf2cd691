// Durations and sizes as the configuration spells them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration, parseSize } from '../../../../shared/src/config/units.js';

const durations: Array<[string, number | undefined]> = [
  ['250ms', 250], ['5s', 5_000], ['1m', 60_000], ['1h', 3_600_000], ['1.5s', 1_500], [' 2s ', 2_000], ['0ms', 0],
  ['5', undefined], ['s', undefined], ['5 s', undefined], ['-1s', undefined], ['5S', undefined], ['1d', undefined], ['', undefined],
];
for (const [text, ms] of durations) test(`parseDuration(${JSON.stringify(text)}) = ${ms}`, () => assert.equal(parseDuration(text), ms));

const sizes: Array<[string, number | undefined]> = [
  ['512kb', 512 * 1024], ['1mb', 1024 ** 2], ['1MB', 1024 ** 2], ['16KB', 16 * 1024], ['1gb', 1024 ** 3], ['100b', 100], ['0.5mb', 512 * 1024],
  ['1', undefined], ['mb', undefined], ['1 mb', undefined], ['1tb', undefined], ['-1kb', undefined],
];
for (const [text, bytes] of sizes) test(`parseSize(${JSON.stringify(text)}) = ${bytes}`, () => assert.equal(parseSize(text), bytes));

test('formatDuration round-trips through parseDuration', () => {
  for (const ms of [0, 1, 250, 1_000, 1_500, 60_000, 90_000, 3_600_000, 7_200_000]) assert.equal(parseDuration(formatDuration(ms)), ms, String(ms));
  assert.equal(formatDuration(60_000), '1m');
  assert.equal(formatDuration(1_500), '1500ms');
});

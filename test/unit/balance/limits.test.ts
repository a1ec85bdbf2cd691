import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integerShare, rateShare } from '../../../data-plane/src/limits/share.js';
import { TokenBucket } from '../../../data-plane/src/limits/token-bucket.js';

test('concurrency shares add up to the limit exactly', () => {
  const planes = ['dp-a', 'dp-b'];
  assert.deepEqual(planes.map((p) => integerShare(3, planes, p)), [2, 1]);
  const five = ['a', 'b', 'c', 'd', 'e'];
  assert.equal(five.reduce((sum, p) => sum + integerShare(12, five, p), 0), 12);
});

test('a plane not yet listed takes a share as if it were one more plane', () => {
  assert.equal(integerShare(10, ['a', 'b'], 'c'), 3);
  assert.equal(integerShare(10, [], 'alone'), 10);
  assert.equal(rateShare(10, ['a', 'b'], 'a'), 5);
  assert.equal(rateShare(10, ['a'], 'b'), 5);
});

test('a token bucket allows the burst, then the rate', () => {
  const bucket = new TokenBucket(10 / 1000, 10, 0);
  let allowed = 0;
  for (let i = 0; i < 20; i++) if (bucket.take(0)) allowed++;
  assert.equal(allowed, 10);
  assert.equal(bucket.take(50), false);
  assert.equal(bucket.take(100), true);
  assert.equal(Math.round(bucket.waitMs(100)), 100);
});

test('reconfiguring a bucket keeps at most the new burst', () => {
  const bucket = new TokenBucket(1, 10, 0);
  bucket.reconfigure(1000, 2, 0);
  assert.equal(bucket.take(0), true);
  assert.equal(bucket.take(0), true);
  assert.equal(bucket.take(0), false);
});

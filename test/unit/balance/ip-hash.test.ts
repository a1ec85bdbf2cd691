import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IpHashPicker } from '../../../data-plane/src/balance/ip-hash.js';
import { endpoints } from './endpoints.js';

const ips = Array.from({ length: 300 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) % 256}`);

test('the same client IP keeps the same endpoint', () => {
  const picker = new IpHashPicker(endpoints([{ name: 'a' }, { name: 'b' }, { name: 'c' }]));
  for (const ip of ips.slice(0, 20)) {
    const first = picker.pick({ now: 0, clientIp: ip })?.name;
    for (let i = 0; i < 20; i++) assert.equal(picker.pick({ now: 0, clientIp: ip })?.name, first);
  }
});

test('clients spread over every endpoint', () => {
  const picker = new IpHashPicker(endpoints([{ name: 'a' }, { name: 'b' }, { name: 'c' }]));
  const c: Record<string, number> = {};
  for (const ip of ips) {
    const n = picker.pick({ now: 0, clientIp: ip })!.name;
    c[n] = (c[n] ?? 0) + 1;
  }
  for (const n of ['a', 'b', 'c']) assert.ok(c[n]! > 50, `${n} got ${c[n]}`);
});

test('removing one of three endpoints remaps only the clients it had', () => {
  const all = endpoints([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  const before = new IpHashPicker(all);
  const after = new IpHashPicker(all.filter((e) => e.name !== 'c'));
  let moved = 0;
  for (const ip of ips) {
    const was = before.pick({ now: 0, clientIp: ip })!.name;
    const now = after.pick({ now: 0, clientIp: ip })!.name;
    if (was !== 'c') assert.equal(now, was, `${ip} moved from ${was}`);
    if (was !== now) moved++;
  }
  assert.ok(moved < ips.length / 2, `moved ${moved}`);
});

test('an unusable endpoint fails over to the next on the ring, and its clients come back', () => {
  const list = endpoints([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  const picker = new IpHashPicker(list);
  const ip = ips.find((i) => picker.pick({ now: 0, clientIp: i })!.name === 'a')!;
  list[0]!.runtime.ejectedUntil = 100;
  const failover = picker.pick({ now: 50, clientIp: ip })!.name;
  assert.notEqual(failover, 'a');
  assert.equal(picker.pick({ now: 50, clientIp: ip })!.name, failover);
  assert.equal(picker.pick({ now: 150, clientIp: ip })!.name, 'a');
});

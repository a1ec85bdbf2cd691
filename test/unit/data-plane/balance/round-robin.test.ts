// RoundRobinPicker, table-driven: endpoints, ejected / saturated / excluded ones, the pick sequence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoundRobinPicker } from '../../../../data-plane/src/balance/round-robin.js';
import type { CompiledEndpoint } from '../../../../data-plane/src/state/tables.js';

interface Fake { name: string; weight?: number; ejectedUntil?: number; maxRequests?: number; inFlight?: number }
const endpoint = (f: Fake) => ({ name: f.name, weight: f.weight ?? 1, maxRequests: f.maxRequests ?? Number.POSITIVE_INFINITY, runtime: { ejectedUntil: f.ejectedUntil ?? 0, inFlight: f.inFlight ?? 0 } }) as unknown as CompiledEndpoint;
const ctx = { now: 1_000, clientIp: '127.0.0.1' };

const cases: Array<{ name: string; endpoints: Fake[]; exclude?: string[]; picks: number; expected: Array<string | undefined> }> = [
  { name: 'takes endpoints in turn', endpoints: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], picks: 7, expected: ['a', 'b', 'c', 'a', 'b', 'c', 'a'] },
  { name: 'skips an ejected endpoint', endpoints: [{ name: 'a' }, { name: 'b', ejectedUntil: 5_000 }, { name: 'c' }], picks: 4, expected: ['a', 'c', 'a', 'c'] },
  { name: 'an ejection that has expired no longer counts', endpoints: [{ name: 'a' }, { name: 'b', ejectedUntil: 999 }], picks: 2, expected: ['a', 'b'] },
  { name: 'skips a saturated endpoint', endpoints: [{ name: 'a', maxRequests: 2, inFlight: 2 }, { name: 'b' }], picks: 2, expected: ['b', 'b'] },
  { name: 'skips excluded endpoints', endpoints: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], exclude: ['a'], picks: 3, expected: ['b', 'c', 'b'] },
  { name: 'nothing when every endpoint is excluded', endpoints: [{ name: 'a' }], exclude: ['a'], picks: 1, expected: [undefined] },
  { name: 'nothing for an empty list', endpoints: [], picks: 1, expected: [undefined] },
];

for (const c of cases) {
  test(c.name, () => {
    const picker = new RoundRobinPicker(c.endpoints.map(endpoint));
    const exclude = c.exclude ? (e: CompiledEndpoint) => c.exclude!.includes(e.name) : undefined;
    const got = Array.from({ length: c.picks }, () => picker.pick(ctx, exclude)?.name);
    assert.deepEqual(got, c.expected);
  });
}

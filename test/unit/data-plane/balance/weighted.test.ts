// WeightedPicker (smooth weighted round robin), table-driven: exact sequences and ratios.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WeightedPicker } from '../../../../data-plane/src/balance/weighted.js';
import type { CompiledEndpoint } from '../../../../data-plane/src/state/tables.js';

interface Fake { name: string; weight: number; ejectedUntil?: number }
const endpoint = (f: Fake) => ({ name: f.name, weight: f.weight, maxRequests: Number.POSITIVE_INFINITY, runtime: { ejectedUntil: f.ejectedUntil ?? 0, inFlight: 0 } }) as unknown as CompiledEndpoint;
const ctx = { now: 1_000, clientIp: '127.0.0.1' };

const sequences: Array<{ name: string; endpoints: Fake[]; expected: string }> = [
  // NGINX's documented order for 5:1:1.
  { name: '5:1:1 interleaves as a a b a c a a', endpoints: [{ name: 'a', weight: 5 }, { name: 'b', weight: 1 }, { name: 'c', weight: 1 }], expected: 'aabacaa' },
  { name: '3:1', endpoints: [{ name: 'a', weight: 3 }, { name: 'b', weight: 1 }], expected: 'aaba' },
  { name: 'equal weights alternate', endpoints: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }], expected: 'abab' },
  { name: 'an ejected endpoint gets nothing', endpoints: [{ name: 'a', weight: 1 }, { name: 'b', weight: 9, ejectedUntil: 2_000 }], expected: 'aaaa' },
];

for (const c of sequences) {
  test(`sequence: ${c.name}`, () => {
    const picker = new WeightedPicker(c.endpoints.map(endpoint));
    assert.equal(Array.from(c.expected, () => picker.pick(ctx)!.name).join(''), c.expected);
  });
}

const ratios: Array<{ weights: number[]; picks: number }> = [
  { weights: [3, 1], picks: 400 },
  { weights: [1, 2, 7], picks: 1000 },
  { weights: [100, 1], picks: 1010 },
];

for (const c of ratios) {
  test(`ratio ${c.weights.join(':')} over ${c.picks} picks is exact`, () => {
    const picker = new WeightedPicker(c.weights.map((weight, i) => endpoint({ name: `e${i}`, weight })));
    const counts = new Map<string, number>();
    for (let i = 0; i < c.picks; i++) {
      const name = picker.pick(ctx)!.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const total = c.weights.reduce((a, b) => a + b, 0);
    c.weights.forEach((w, i) => assert.equal(counts.get(`e${i}`), (c.picks / total) * w));
  });
}

test('an excluded endpoint is skipped and the others keep their ratio', () => {
  const eps = [endpoint({ name: 'a', weight: 2 }), endpoint({ name: 'b', weight: 1 }), endpoint({ name: 'c', weight: 1 })];
  const picker = new WeightedPicker(eps);
  const names = Array.from({ length: 30 }, () => picker.pick(ctx, (e) => e.name === 'c')!.name);
  assert.equal(names.filter((n) => n === 'a').length, 20);
  assert.equal(names.filter((n) => n === 'b').length, 10);
});

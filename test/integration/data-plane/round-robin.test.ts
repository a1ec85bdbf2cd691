// balancer: round-robin spreads requests evenly over the endpoints, in turn.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(t, echo(n))));
const gw = await startGateway(t, `
clusters:
  - name: rr
    balancer: round-robin
    endpoints:
${ups.map((u) => `      - { url: "${u.url}" }`).join('\n')}
routes:
  - { match: { prefix: / }, cluster: rr }
`);

async function pickSequence(n: number, concurrency: number): Promise<string[]> {
  const names: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++;
      const res = await httpRequest(`${gw.url}/x`);
      assert.equal(res.status, 200);
      names.push(res.json<{ name: string }>().name);
    }
  }));
  return names;
}

function counts(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

test('sequential requests take the endpoints in turn', async () => {
  const names = await pickSequence(30, 1);
  for (let i = 3; i < names.length; i++) assert.equal(names[i], names[i - 3], `request ${i} broke the rotation: ${names.join(',')}`);
  assert.deepEqual(counts(names), { a: 10, b: 10, c: 10 });
});

test('concurrent requests split evenly', async () => {
  const names = await pickSequence(300, 8);
  assert.deepEqual(counts(names), { a: 100, b: 100, c: 100 });
});

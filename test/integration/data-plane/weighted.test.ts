// balancer: weighted (smooth weighted round robin) sends traffic in proportion to `weight` and
// interleaves rather than bursting.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const heavy = await startUpstream(t, echo('heavy'));
const light = await startUpstream(t, echo('light'));
const gw = await startGateway(t, `
clusters:
  - name: w
    balancer: weighted
    endpoints:
      - { url: "${heavy.url}", weight: 3 }
      - { url: "${light.url}", weight: 1 }
routes:
  - { match: { prefix: / }, cluster: w }
`);

const names: string[] = [];
await (async () => {
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < 400) {
      next++;
      const res = await httpRequest(`${gw.url}/x`);
      names.push(res.json<{ name: string }>().name);
    }
  }));
})();

test('weights 3:1 over 400 requests split about 300:100', () => {
  const heavyCount = names.filter((n) => n === 'heavy').length;
  const lightCount = names.filter((n) => n === 'light').length;
  assert.equal(heavyCount + lightCount, 400);
  assert.ok(Math.abs(heavyCount - 300) <= 12, `heavy got ${heavyCount}, light ${lightCount}`);
});

test('the light endpoint is interleaved, not starved in bursts', () => {
  let run = 0;
  let longest = 0;
  for (const n of names) {
    run = n === 'heavy' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  // Smooth WRR gives at most 3 in a row; concurrency may reorder completions a little.
  assert.ok(longest <= 8, `heavy answered ${longest} requests in a row`);
});

// Bounded label cardinality: requests to hundreds of random paths (routed and unrouted, with
// random query strings and client-chosen request ids) add no series to /metrics; label values are
// configured names and status codes only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { scrape, startProbedBackend, type Sample } from './observe.js';

const LABELS = ['route', 'cluster', 'endpoint'] as const;

test('random paths do not create label values', async (t) => {
  const a = await startProbedBackend(t, 'a');
  const gw = await startGateway(t, `
clusters:
  - name: api
    endpoints:
      - { url: "${a.url}", name: a }
routes:
  - { name: api, match: { prefix: /api }, cluster: api }
`);
  await waitForEndpointStatus(gw, 'api', 'healthy');
  const token = () => randomBytes(6).toString('hex');
  const round = async () => {
    assert.equal((await fetch(`${gw.url}/api/${token()}?q=${token()}`, { headers: { 'x-request-id': token() } })).status, 200);
    assert.equal((await fetch(`${gw.url}/${token()}/${token()}`)).status, 404);
  };
  await round();
  const first = await scrape(gw.adminUrl);

  for (let i = 0; i < 150; i++) await round();
  const text = await (await fetch(`${gw.adminUrl}/metrics`)).text();
  const later = await scrape(gw.adminUrl);

  const seriesOf = (samples: Sample[]) => new Set(samples.filter((s) => s.name.startsWith('portico_') && !s.name.startsWith('portico_nodejs_') && !s.name.startsWith('portico_process_')).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
  assert.deepEqual([...seriesOf(later)].sort(), [...seriesOf(first)].sort(), 'the same series before and after 300 random requests');
  for (const s of later) {
    for (const label of LABELS) {
      const v = s.labels[label];
      if (v !== undefined) assert.ok(['', 'api', 'a'].includes(v), `${s.name} ${label}="${v}"`);
    }
    if (s.labels.code !== undefined) assert.match(s.labels.code, /^\d{3}$/);
  }
  assert.ok(!/\/api\/[0-9a-f]{12}/.test(text), 'no request path in the exposition');
});

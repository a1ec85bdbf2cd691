// Errors Portico produces itself (SPEC §3.2) as JSON {"error":{"type","message","requestId"}}:
// 404 no route, 502 connection refused (closed port) or reset, 504 upstream slower than `timeout`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const slow = await startUpstream(t, answersHealth((_req, res) => {
  const timer = setTimeout(() => res.end('too late'), 3_000);
  res.on('close', () => clearTimeout(timer));
}));
const resets = await startUpstream(t, answersHealth((req) => req.socket.destroy()));
// Healthy at the first probe, closed before traffic: the port then refuses connections while the
// endpoint is still healthy in the snapshot (the next probe is a minute away).
const closing = await startUpstream(t);
const closingToo = await startUpstream(t);
const gw = await startGateway(t, `
healthCheck: { interval: 1m }
clusters:
  - { name: refused, retries: 0, endpoints: [{ url: "${closing.url}" }] }
  - { name: refused-one-retry, retries: 1, endpoints: [{ url: "${closingToo.url}" }] }
  - { name: resets, retries: 0, endpoints: [{ url: "${resets.url}" }] }
  - { name: slow, timeout: 300ms, endpoints: [{ url: "${slow.url}" }] }
routes:
  - { match: { prefix: /refused }, cluster: refused }
  - { match: { prefix: /only-endpoint-refused }, cluster: refused-one-retry }
  - { match: { prefix: /resets }, cluster: resets }
  - { match: { prefix: /slow }, cluster: slow }
`);

before(async () => {
  for (const c of ['refused', 'refused-one-retry', 'resets', 'slow']) await waitForEndpointStatus(gw, c, 'healthy');
  await closing.close();
  await closingToo.close();
});

interface ErrorBody { error: { type: string; message: string; requestId: string } }

const cases: Array<{ name: string; path: string; status: number; type: string }> = [
  { name: '404 no_route when no route matches', path: '/nowhere', status: 404, type: 'no_route' },
  { name: '502 upstream_error when the connection is refused', path: '/refused/x', status: 502, type: 'upstream_error' },
  { name: '502 upstream_error when the upstream resets the connection', path: '/resets/x', status: 502, type: 'upstream_error' },
  { name: '504 upstream_timeout when the upstream is slower than timeout', path: '/slow', status: 504, type: 'upstream_timeout' },
  // Regression: with `retries: 1` and a single endpoint, the retry found no other endpoint and
  // the client got 503 no_healthy_upstream instead of the 502 of the refused connection.
  { name: 'connection refused on the only endpoint answers 502 even when a retry is allowed', path: '/only-endpoint-refused', status: 502, type: 'upstream_error' },
];

for (const [i, c] of cases.entries()) {
  test(c.name, async () => {
    const id = `err-case-${i}`;
    const res = await httpRequest(`${gw.url}${c.path}`, { headers: { 'x-request-id': id } });
    assert.equal(res.status, c.status, res.text());
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json<ErrorBody>();
    assert.deepEqual(Object.keys(body), ['error']);
    assert.deepEqual(Object.keys(body.error).sort(), ['message', 'requestId', 'type']);
    assert.equal(body.error.type, c.type);
    assert.equal(typeof body.error.message, 'string');
    assert.ok(body.error.message.length > 0);
    assert.equal(body.error.requestId, id);
    assert.equal(res.headers['x-request-id'], id);
  });
}

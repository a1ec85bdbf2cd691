// A client that trickles its request headers is answered 408 (JSON) and dropped after
// --headers-timeout; the backend never sees it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

test('slow-header clients get 408 request_timeout and are disconnected', async (t) => {
  const up = await startUpstream(t, echo('up'));
  const gw = await startGateway(t, `
clusters:
  - { name: c, healthCheck: { path: / }, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: c }
`, { args: ['--headers-timeout', '1s'] });
  const seenBefore = up.seen.length;
  const started = Date.now();
  // The header block never ends: no blank line is sent.
  const res = await rawHttp(gw.url, 'GET /slow HTTP/1.1\r\nHost: a\r\nX-Slow: 1\r\n', 8_000);
  const waited = Date.now() - started;
  assert.equal(res.status, 408);
  assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'request_timeout');
  assert.ok(waited >= 900, `answered after ${waited} ms, before the timeout`);
  assert.equal(up.seen.filter((r) => r.url === '/slow').length, 0);
  assert.ok(up.seen.length >= seenBefore);
});

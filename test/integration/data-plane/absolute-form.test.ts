// The client never chooses the upstream: absolute-form targets, the Host header, "//host" paths
// and dot segments (plain or percent-encoded) all end on the configured endpoint, under its base
// path. Sent over a raw socket because HTTP clients refuse to send these.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const good = await startUpstream(t, echo('configured'));
const evil = await startUpstream(t, echo('evil'));
const evilHost = new URL(evil.url).host;
const gw = await startGateway(t, `
clusters:
  - { name: good, endpoints: [{ url: "${good.url}/base" }] }
routes:
  - { match: { prefix: / }, cluster: good }
`);

const cases: Array<{ name: string; target: string; host?: string; upstream: string }> = [
  { name: 'absolute-form target naming another server', target: `http://${evilHost}/x?y=1`, upstream: '/base/x?y=1' },
  { name: 'absolute-form https target', target: `https://${evilHost}/secure`, upstream: '/base/secure' },
  { name: 'absolute-form target without a path', target: `http://${evilHost}`, upstream: '/base/' },
  { name: 'absolute-form target with only a query', target: `http://${evilHost}?q=1`, upstream: '/base/?q=1' },
  { name: 'Host header naming another server', target: '/x', host: evilHost, upstream: '/base/x' },
  { name: 'network-path reference //host/x', target: `//${evilHost}/x`, upstream: `/base/${evilHost}/x` },
  { name: 'dot segments cannot climb out of the base path', target: '/a/../../../x', upstream: '/base/x' },
  { name: 'percent-encoded dot segments cannot climb out', target: '/%2e%2e/%2E%2E/x', upstream: '/base/x' },
  { name: 'backslashes are folded before dot segments are removed', target: '/a\\..\\..\\x', upstream: '/base/x' },
];

for (const c of cases) {
  test(c.name, async () => {
    const before = evil.seen.length;
    const res = await rawHttp(gw.url, `GET ${c.target} HTTP/1.1\r\nHost: ${c.host ?? evilHost}\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 200, res.raw);
    const body = JSON.parse(res.body) as { name: string; url: string };
    assert.equal(body.name, 'configured');
    assert.equal(body.url, c.upstream);
    assert.equal(evil.seen.length, before, 'the other server was contacted');
  });
}

test('a target that is neither origin-form nor absolute-form is a 400 with the JSON body', async () => {
  const res = await rawHttp(gw.url, `GET * HTTP/1.1\r\nHost: ${evilHost}\r\nConnection: close\r\n\r\n`);
  assert.equal(res.status, 400, res.raw);
  assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'bad_request');
  assert.equal(evil.seen.length, 0);
});

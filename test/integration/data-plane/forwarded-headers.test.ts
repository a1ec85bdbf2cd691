// X-Forwarded-For appended, X-Forwarded-Proto and X-Forwarded-Host set, upstream Host is the
// endpoint's (no trustProxy configured: the client's X-Forwarded-Proto/Host are not believed).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

interface Echoed { headers: Record<string, string | undefined> }

const t = { after };
const up = await startUpstream(t);
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);
const gatewayHost = new URL(gw.url).host;
const upstreamHost = new URL(up.url).host;

async function seen(headers: Record<string, string> | string[] = {}): Promise<Echoed['headers']> {
  const res = await httpRequest(`${gw.url}/x`, { headers });
  assert.equal(res.status, 200, res.text());
  return res.json<Echoed>().headers;
}

test('X-Forwarded-For is the client address when the client sent none', async () => {
  assert.equal((await seen())['x-forwarded-for'], '127.0.0.1');
});

test('X-Forwarded-For appends the client address to the chain it sent', async () => {
  assert.equal((await seen({ 'x-forwarded-for': '203.0.113.7, 198.51.100.1' }))['x-forwarded-for'], '203.0.113.7, 198.51.100.1, 127.0.0.1');
});

test('several X-Forwarded-For headers are joined in order, then appended to', async () => {
  const h = await seen(['X-Forwarded-For', '203.0.113.7', 'X-Forwarded-For', '198.51.100.1']);
  assert.equal(h['x-forwarded-for'], '203.0.113.7, 198.51.100.1, 127.0.0.1');
});

test('X-Forwarded-Proto is set by the gateway, not taken from an untrusted client', async () => {
  assert.equal((await seen())['x-forwarded-proto'], 'http');
  assert.equal((await seen({ 'x-forwarded-proto': 'https' }))['x-forwarded-proto'], 'http');
});

test('X-Forwarded-Host is the Host the client asked for', async () => {
  assert.equal((await seen())['x-forwarded-host'], gatewayHost);
  assert.equal((await seen({ host: 'api.example.com' }))['x-forwarded-host'], 'api.example.com');
  assert.equal((await seen({ host: 'api.example.com', 'x-forwarded-host': 'evil.example' }))['x-forwarded-host'], 'api.example.com');
});

test('the upstream Host is the endpoint\'s host, not the client\'s', async () => {
  assert.equal((await seen({ host: 'api.example.com' })).host, upstreamHost);
});

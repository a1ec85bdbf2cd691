// Hop-by-hop headers (RFC 9110 §7.6.1) and headers named in Connection are not forwarded in
// either direction; `TE: trailers` survives; a client's Connection header cannot remove the
// headers the gateway adds.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest, rawHeaderValues } from '../../helpers/http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

interface Echoed { headers: Record<string, string | undefined>; body: string }

const t = { after };
const requestSide = await startUpstream(t, echo('request-side'));
const responseSide = await startUpstream(t, (_req, res) => {
  res.writeHead(200, [
    ['Content-Type', 'text/plain'],
    ['Connection', 'keep-alive, X-Upstream-Secret'],
    ['Keep-Alive', 'timeout=99, max=7'],
    ['X-Upstream-Secret', 'do-not-leak'],
    ['Proxy-Authenticate', 'Basic realm="upstream"'],
    ['Proxy-Connection', 'keep-alive'],
    ['X-Normal', 'passes'],
  ].flat());
  res.end('body');
});
const gw = await startGateway(t, `
clusters:
  - { name: req, endpoints: [{ url: "${requestSide.url}" }] }
  - { name: res, endpoints: [{ url: "${responseSide.url}" }] }
routes:
  - { match: { prefix: /req }, cluster: req }
  - { match: { prefix: /res }, cluster: res }
`);

async function upstreamSaw(headers: string[], body?: string): Promise<Echoed> {
  const res = await httpRequest(`${gw.url}/req`, { method: body === undefined ? 'GET' : 'POST', headers, body });
  assert.equal(res.status, 200, res.text());
  return res.json<Echoed>();
}

test('request: hop-by-hop headers are not forwarded', async () => {
  const { headers } = await upstreamSaw([
    'Connection', 'keep-alive',
    'Keep-Alive', 'timeout=99',
    'Proxy-Connection', 'keep-alive',
    'Proxy-Authorization', 'Basic c2VjcmV0',
    'TE', 'gzip',
    'X-Normal', 'passes',
  ]);
  assert.equal(headers['keep-alive'], undefined);
  assert.equal(headers['proxy-connection'], undefined);
  assert.equal(headers['proxy-authorization'], undefined);
  assert.equal(headers.te, undefined);
  assert.equal(headers['x-normal'], 'passes');
});

test('request: headers named in Connection are not forwarded', async () => {
  const { headers } = await upstreamSaw([
    'Connection', 'keep-alive, X-Client-Secret, x-other',
    'X-Client-Secret', 'do-not-forward',
    'X-Other', '1',
    'X-Normal', 'passes',
  ]);
  assert.equal(headers['x-client-secret'], undefined);
  assert.equal(headers['x-other'], undefined);
  assert.doesNotMatch(headers.connection ?? '', /secret|other/i);
  assert.equal(headers['x-normal'], 'passes');
});

test('request: TE: trailers survives', async () => {
  const { headers } = await upstreamSaw(['TE', 'trailers']);
  assert.equal(headers.te, 'trailers');
});

test('request: a chunked client body arrives whole though Transfer-Encoding is hop-by-hop', async () => {
  const { Readable } = await import('node:stream');
  const res = await httpRequest(`${gw.url}/req`, { method: 'POST', body: Readable.from([Buffer.from('part1-'), Buffer.from('part2')]) });
  assert.equal(res.json<Echoed>().body, 'part1-part2');
});

test('request: Connection cannot remove the headers the gateway adds', async () => {
  const { headers } = await upstreamSaw([
    'Connection', 'keep-alive, x-forwarded-for, x-forwarded-proto, x-forwarded-host, x-request-id, host',
    'X-Request-ID', 'conn-listed-id',
  ]);
  assert.equal(headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(headers['x-forwarded-proto'], 'http');
  assert.equal(headers['x-forwarded-host'], new URL(gw.url).host);
  assert.ok(headers['x-request-id'], 'x-request-id sent upstream');
  assert.equal(headers.host, new URL(requestSide.url).host);
});

// Regression: the client's X-Forwarded-For was appended to even when the client had named it in
// Connection, so a hop-by-hop value (RFC 9110 §7.6.1: MUST be removed) reached the upstream as
// if an earlier proxy had written it.
test('connection-listed client X-Forwarded-For is dropped, not appended to', async () => {
  const { headers } = await upstreamSaw([
    'Connection', 'x-forwarded-for',
    'X-Forwarded-For', '6.6.6.6',
  ]);
  assert.equal(headers['x-forwarded-for'], '127.0.0.1');
});

test('response: hop-by-hop and Connection-named headers are not forwarded to the client', async () => {
  const res = await httpRequest(`${gw.url}/res`);
  assert.equal(res.status, 200);
  assert.equal(res.text(), 'body');
  assert.equal(res.headers['x-upstream-secret'], undefined);
  assert.equal(res.headers['proxy-authenticate'], undefined);
  assert.equal(res.headers['proxy-connection'], undefined);
  // Node writes its own Connection/Keep-Alive for the client hop; the upstream's must not pass.
  assert.doesNotMatch(rawHeaderValues(res.rawHeaders, 'connection').join(','), /secret/i);
  assert.ok(!rawHeaderValues(res.rawHeaders, 'keep-alive').some((v) => v.includes('99')), 'upstream Keep-Alive leaked');
  assert.equal(res.headers['x-normal'], 'passes');
});

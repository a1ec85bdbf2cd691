// Request headers over gateway.maxHeaderSize are answered 431 headers_too_large in the §3.2 JSON
// shape and never forwarded, both below the HTTP parser's own 256 KiB limit (checked per request
// against the configured size) and above it (answered from the parser's clientError).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startEchoGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';

const t = { after };
const { up, gw } = await startEchoGateway(t, { gateway: '{ maxHeaderSize: 4kb }' });

const request = (headers: string) => rawHttp(gw.url, `GET /v1/x HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`);
const forwarded = () => up.seen.filter((s) => s.url === '/v1/x').length;

test('headers under maxHeaderSize pass', async () => {
  const res = await request(`X-Pad: ${'a'.repeat(3000)}\r\n`);
  assert.equal(res.status, 200, res.raw.slice(0, 300));
});

for (const [name, headers] of [
  ['one header over maxHeaderSize', `X-Pad: ${'a'.repeat(5000)}\r\n`],
  ['many small headers adding up over maxHeaderSize', Array.from({ length: 100 }, (_, i) => `X-H${i}: ${'b'.repeat(50)}\r\n`).join('')],
  ['headers over the parser limit of 256 KiB', `X-Pad: ${'c'.repeat(300 * 1024)}\r\n`],
] as const) {
  test(`${name} -> 431 headers_too_large JSON, not forwarded`, async () => {
    const before = forwarded();
    const res = await request(headers);
    assert.equal(res.status, 431, res.raw.slice(0, 300));
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'headers_too_large');
    assert.equal(forwarded(), before);
  });
}

// Request smuggling shapes (SPEC §3.2, issue 5): conflicting or ambiguous body framing —
// Content-Length with Transfer-Encoding, two different Content-Lengths, a Transfer-Encoding that
// does not end in chunked, obfuscated chunked — is a 400 bad_request JSON answer, and nothing
// reaches the backend, not even the smuggled second request.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, echo('api'));
const gw = await startGateway(t, `
clusters:
  - { name: api, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: /api }, cluster: api }
`);

const smuggled = 'GET /api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
const cases: Array<[string, string]> = [
  ['Content-Length and Transfer-Encoding: chunked (CL.TE)', `Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`],
  ['Transfer-Encoding before Content-Length (TE.CL)', `Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n${smuggled}\r\n0\r\n\r\n`],
  ['two different Content-Length headers', `Content-Length: 5\r\nContent-Length: 50\r\n\r\nhello${smuggled}`],
  ['a Content-Length list with different values', `Content-Length: 5, 50\r\n\r\nhello${smuggled}`],
  ['Transfer-Encoding not ending in chunked', `Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${smuggled}`],
  ['an obfuscated chunked coding', `Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${smuggled}`],
  ['a Content-Length that is not a number', `Content-Length: 5x\r\n\r\nhello${smuggled}`],
  ['a negative Content-Length', `Content-Length: -1\r\n\r\n${smuggled}`],
  ['whitespace before the colon of Transfer-Encoding', `Transfer-Encoding : chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n${smuggled}`],
];

for (const [name, rest] of cases) {
  test(`${name} -> 400 bad_request, nothing forwarded`, async () => {
    const before = up.seen.length;
    const res = await rawHttp(gw.url, `POST /api/upload HTTP/1.1\r\nHost: x\r\n${rest}`);
    assert.equal(res.status, 400, res.raw.slice(0, 400));
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'bad_request');
    assert.ok(!res.raw.includes('HTTP/1.1 200'), 'a second answer followed');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(up.seen.slice(before).map((s) => s.url), [], 'the backend saw requests');
  });
}

// Methods the HTTP parser does not know, lower-case or with bytes that are not a token, are a 400
// bad_request JSON answer and never forwarded.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startEchoGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';

const t = { after };
const { up, gw } = await startEchoGateway(t);

for (const method of ['FOO', 'get', 'G(ET', 'GET\u0000', 'GE T', 'POST\tX', '\u00c9GET', '']) {
  test(`method ${JSON.stringify(method)} -> 400 bad_request`, async () => {
    const before = up.seen.length;
    const res = await rawHttp(gw.url, `${method} /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 400, res.raw.slice(0, 300));
    assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'bad_request');
    assert.equal(up.seen.length, before);
  });
}

test('a known method still passes (control)', async () => {
  const res = await rawHttp(gw.url, 'PATCH /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  assert.equal(res.status, 200, res.raw.slice(0, 300));
});

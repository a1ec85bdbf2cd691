// Regression: two answers node:http writes by itself before Portico's handler runs were not in
// the §3.2 JSON shape (SPEC §4: "Errors raised before a request reaches Portico's own code ...
// use the §3.2 JSON body too"): an HTTP/1.1 request without Host got an empty chunked 400, and
// an Expect other than 100-continue got an empty 417. Neither may reach the backend.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startEchoGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';

const t = { after };
const { up, gw } = await startEchoGateway(t);

function assertJsonError(res: { status: number; headers: Record<string, string>; body: string; raw: string }, status: number): void {
  assert.equal(res.status, status, res.raw.slice(0, 300));
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, res.raw.slice(0, 300));
  const body = JSON.parse(res.body) as { error: { type: string; message: string } };
  assert.equal(typeof body.error.type, 'string');
  assert.equal(typeof body.error.message, 'string');
}

test('HTTP/1.1 without Host -> 400 bad_request JSON, not forwarded', async () => {
  const before = up.seen.length;
  const res = await rawHttp(gw.url, 'GET /x HTTP/1.1\r\nConnection: close\r\n\r\n');
  assertJsonError(res, 400);
  assert.equal(up.seen.length, before);
});

test('Expect: something-else -> 417 JSON, not forwarded', async () => {
  const before = up.seen.length;
  const res = await rawHttp(gw.url, 'GET /x HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n');
  assertJsonError(res, 417);
  assert.equal(up.seen.length, before);
});

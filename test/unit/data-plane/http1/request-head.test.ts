// The fast path's parser serves only complete, body-less HTTP/1.1 heads; everything else must come
// back undefined so that node:http's parser decides it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestHead } from '../../../../data-plane/src/http1/request-head.js';

const head = (text: string) => parseRequestHead(Buffer.from(text, 'latin1'));

test('a complete GET head is parsed with its length, raw headers and merged headers', () => {
  const text = 'GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nAccept: a\r\naccept: b\r\nCookie: c=1\r\nCookie: d=2\r\nUser-Agent: one\r\nUser-Agent: two\r\nSet-Cookie: s\r\n\r\nGET /next';
  const h = head(text)!;
  assert.equal(h.method, 'GET');
  assert.equal(h.url, '/a/b?x=1');
  assert.equal(h.length, text.indexOf('GET /next'));
  assert.deepEqual(h.rawHeaders.slice(0, 4), ['Host', 'h', 'Accept', 'a']);
  assert.equal(h.headers.host, 'h');
  assert.equal(h.headers.accept, 'a, b');
  assert.equal(h.headers.cookie, 'c=1; d=2');
  assert.equal(h.headers['user-agent'], 'one');
  assert.deepEqual(h.headers['set-cookie'], ['s']);
});

test('header values are trimmed and Connection: keep-alive is accepted', () => {
  const h = head('HEAD / HTTP/1.1\r\nX-A:   spaced \t\r\nConnection: Keep-Alive\r\n\r\n')!;
  assert.equal(h.headers['x-a'], 'spaced');
  assert.equal(h.method, 'HEAD');
});

const handedOver: Array<[what: string, text: string]> = [
  ['a partial head', 'GET / HTTP/1.1\r\nHost: h\r\n'],
  ['a body by Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'],
  ['even Content-Length: 0', 'POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n'],
  ['a chunked body', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['an upgrade', 'GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
  ['Expect', 'GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n'],
  ['Connection: close', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n'],
  ['HTTP/1.0', 'GET / HTTP/1.0\r\n\r\n'],
  ['an absolute-form target', 'GET http://h/ HTTP/1.1\r\n\r\n'],
  ['a space in the target', 'GET /a b HTTP/1.1\r\n\r\n'],
  ['an unknown method', 'BREW / HTTP/1.1\r\n\r\n'],
  ['obs-fold', 'GET / HTTP/1.1\r\nX-A: a\r\n  b\r\n\r\n'],
  ['a space before the colon', 'GET / HTTP/1.1\r\nHost : h\r\n\r\n'],
  ['a control byte in a value', 'GET / HTTP/1.1\r\nX-A: a\x01b\r\n\r\n'],
  ['a bare LF in a value', 'GET / HTTP/1.1\r\nX-A: a\nb\r\n\r\n'],
  ['a header named like an Object property', 'GET / HTTP/1.1\r\n__proto__: x\r\n\r\n'],
  ['a leading empty line', '\r\nGET / HTTP/1.1\r\n\r\n'],
];

for (const [what, text] of handedOver) {
  test(`${what} is left to node:http`, () => {
    assert.equal(head(text), undefined);
  });
}

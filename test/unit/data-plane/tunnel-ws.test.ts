// The pure parts of the WebSocket tunnel: the client handshake check, the offered subprotocols,
// and the upstream handshake headers built from the shared upstream header list.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { checkClientHandshake, handshakeHeaders, offeredProtocols } from '../../../data-plane/src/proxy/tunnel-ws.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function req(headers: Record<string, string>, method = 'GET'): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

const valid = { upgrade: 'websocket', 'sec-websocket-key': KEY, 'sec-websocket-version': '13' };

test('checkClientHandshake accepts RFC 6455 handshakes and names what is wrong otherwise', () => {
  const cases: Array<[string, IncomingMessage, RegExp | undefined]> = [
    ['valid', req(valid), undefined],
    ['valid, Upgrade in another case', req({ ...valid, upgrade: 'WebSocket' }), undefined],
    ['POST', req(valid, 'POST'), /GET/],
    ['not websocket', req({ ...valid, upgrade: 'h2c' }), /websocket/],
    ['missing key', req({ upgrade: 'websocket', 'sec-websocket-version': '13' }), /Key/],
    ['short key', req({ ...valid, 'sec-websocket-key': 'abc' }), /Key/],
    ['version 12', req({ ...valid, 'sec-websocket-version': '12' }), /Version/],
    ['bad protocol token', req({ ...valid, 'sec-websocket-protocol': 'a b' }), /Protocol/],
  ];
  for (const [name, r, expected] of cases) {
    const problem = checkClientHandshake(r);
    if (expected === undefined) assert.equal(problem, undefined, name);
    else assert.match(problem ?? '', expected, name);
  }
});

test('offeredProtocols keeps order, trims, and rejects duplicates and non-tokens', () => {
  assert.deepEqual(offeredProtocols(req({})), []);
  assert.deepEqual(offeredProtocols(req({ 'sec-websocket-protocol': 'a, b ,c' })), ['a', 'b', 'c']);
  assert.equal(offeredProtocols(req({ 'sec-websocket-protocol': 'a, a' })), undefined);
  assert.equal(offeredProtocols(req({ 'sec-websocket-protocol': 'a,' })), undefined);
  assert.equal(offeredProtocols(req({ 'sec-websocket-protocol': 'a;b' })), undefined);
});

test('handshakeHeaders drops what ws owns, joins cookies, keeps repeated headers and a route Host', () => {
  const flat = [
    'Sec-WebSocket-Key', KEY, 'sec-websocket-version', '13', 'Sec-WebSocket-Protocol', 'a',
    'sec-websocket-extensions', 'permessage-deflate', 'content-length', '0',
    'cookie', 'a=1', 'Cookie', 'b=2', 'x-tag', 'one', 'x-tag', 'two', 'origin', 'https://app.example.com',
    'x-forwarded-for', '10.0.0.1', 'x-request-id', 'r-1', 'host', 'internal.example',
  ];
  assert.deepEqual(handshakeHeaders(flat), {
    cookie: 'a=1; b=2',
    'x-tag': ['one', 'two'],
    origin: 'https://app.example.com',
    'x-forwarded-for': '10.0.0.1',
    'x-request-id': 'r-1',
    host: 'internal.example',
  });
});

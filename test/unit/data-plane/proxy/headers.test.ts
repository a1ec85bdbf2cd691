// Header rules of SPEC §3.1 as pure functions: hop-by-hop and Connection-listed headers dropped
// before the gateway adds its own; request overrides; response edits; X-Request-ID echo.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientResponseHeaders, connectionListed, upstreamRequestHeaders, type ForwardedInfo, type RequestHeaderPlan } from '../../../../data-plane/src/proxy/headers.js';

const NO_PLAN: RequestHeaderPlan = { remove: new Set(), set: [], add: [], replace: undefined, dropBodyFraming: false };
const FWD: ForwardedInfo = { clientIp: '192.0.2.9', proto: 'http', host: 'gw.example', requestId: 'rid-1', trustedHop: false };

/** Flat list -> lower-case name -> values in order. */
function byName(flat: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < flat.length; i += 2) (out[flat[i]!.toLowerCase()] ??= []).push(flat[i + 1]!);
  return out;
}

test('connectionListed reads every Connection header, trimmed and lower-cased', () => {
  assert.deepEqual([...connectionListed(['Connection', 'close, X-A ', 'connection', 'x-b'])!].sort(), ['close', 'x-a', 'x-b']);
  assert.equal(connectionListed(['x-a', '1']), undefined);
});

test('hop-by-hop request headers are dropped; TE: trailers survives', () => {
  const h = byName(upstreamRequestHeaders([
    'Connection', 'keep-alive', 'Keep-Alive', '5', 'Proxy-Connection', 'x', 'Transfer-Encoding', 'chunked',
    'Upgrade', 'websocket', 'Proxy-Authorization', 'Basic x', 'TE', 'trailers', 'X-Ok', '1',
  ], NO_PLAN, FWD, undefined));
  for (const n of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'proxy-authorization']) assert.equal(h[n], undefined, n);
  assert.deepEqual(h.te, ['trailers']);
  assert.deepEqual(h['x-ok'], ['1']);
});

test('TE other than trailers is dropped', () => {
  assert.equal(byName(upstreamRequestHeaders(['TE', 'gzip'], NO_PLAN, FWD, undefined)).te, undefined);
});

test('Connection-listed request headers are dropped', () => {
  const h = byName(upstreamRequestHeaders(['Connection', 'x-secret', 'X-Secret', 's', 'X-Ok', '1'], NO_PLAN, FWD, undefined));
  assert.equal(h['x-secret'], undefined);
  assert.deepEqual(h['x-ok'], ['1']);
});

test('the gateway always adds X-Forwarded-* and X-Request-ID, replacing the client\'s', () => {
  const h = byName(upstreamRequestHeaders(['X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'evil', 'X-Request-ID', 'client', 'Host', 'gw.example'], NO_PLAN, FWD, undefined));
  assert.deepEqual(h['x-forwarded-for'], ['192.0.2.9']);
  assert.deepEqual(h['x-forwarded-proto'], ['http']);
  assert.deepEqual(h['x-forwarded-host'], ['gw.example']);
  assert.deepEqual(h['x-request-id'], ['rid-1']);
  assert.equal(h.host, undefined, 'the endpoint host is set by the HTTP client, not copied from the client');
});

test('X-Forwarded-For chains are appended to, several headers joined in order', () => {
  const h = byName(upstreamRequestHeaders(['X-Forwarded-For', '203.0.113.1', 'x-forwarded-for', '203.0.113.2'], NO_PLAN, FWD, undefined));
  assert.deepEqual(h['x-forwarded-for'], ['203.0.113.1, 203.0.113.2, 192.0.2.9']);
});

test('a trusted hop keeps the client\'s X-Forwarded-Proto and -Host', () => {
  const h = byName(upstreamRequestHeaders(['X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'public.example'], NO_PLAN, { ...FWD, trustedHop: true }, undefined));
  assert.deepEqual(h['x-forwarded-proto'], ['https']);
  assert.deepEqual(h['x-forwarded-host'], ['public.example']);
});

test('Connection cannot delete the gateway\'s own headers', () => {
  const h = byName(upstreamRequestHeaders(['Connection', 'x-forwarded-for, x-forwarded-proto, x-forwarded-host, x-request-id'], NO_PLAN, FWD, undefined));
  assert.deepEqual(h['x-forwarded-for'], ['192.0.2.9']);
  assert.deepEqual(h['x-forwarded-proto'], ['http']);
  assert.deepEqual(h['x-forwarded-host'], ['gw.example']);
  assert.deepEqual(h['x-request-id'], ['rid-1']);
});

// Regression: a client X-Forwarded-For named in Connection (hop-by-hop, RFC 9110 §7.6.1) was
// appended to instead of dropped.
test('connection-listed client X-Forwarded-For is dropped, not appended to', () => {
  const h = byName(upstreamRequestHeaders(['Connection', 'X-Forwarded-For', 'X-Forwarded-For', '6.6.6.6'], NO_PLAN, FWD, undefined));
  assert.deepEqual(h['x-forwarded-for'], ['192.0.2.9']);
});

test('connection-listed X-Forwarded-Proto/Host are not believed even from a trusted hop', () => {
  const h = byName(upstreamRequestHeaders(['Connection', 'x-forwarded-proto, x-forwarded-host', 'X-Forwarded-Proto', 'https', 'X-Forwarded-Host', 'spoofed'], NO_PLAN, { ...FWD, trustedHop: true }, undefined));
  assert.deepEqual(h['x-forwarded-proto'], ['http']);
  assert.deepEqual(h['x-forwarded-host'], ['gw.example']);
});

test('Connection: TE with TE: trailers still sends TE: trailers', () => {
  assert.deepEqual(byName(upstreamRequestHeaders(['Connection', 'TE', 'TE', 'trailers'], NO_PLAN, FWD, undefined)).te, ['trailers']);
});

test('request plan: set replaces, add appends, remove drops', () => {
  const plan: RequestHeaderPlan = { remove: new Set(['cookie']), set: [['x-env', 'prod']], add: [['x-tag', 'gw']], replace: undefined, dropBodyFraming: false };
  const h = byName(upstreamRequestHeaders(['X-Env', 'dev', 'X-Tag', 'client', 'Cookie', 'a=b', 'X-Ok', '1'], plan, FWD, undefined));
  assert.deepEqual(h['x-env'], ['prod']);
  assert.deepEqual(h['x-tag'], ['client', 'gw']);
  assert.equal(h.cookie, undefined);
  assert.deepEqual(h['x-ok'], ['1']);
});

test('request plan: replace sends only its headers, keeps body framing and gateway headers', () => {
  const plan: RequestHeaderPlan = { remove: new Set(), set: [], add: [], replace: [['accept', '*/*']], dropBodyFraming: false };
  const h = byName(upstreamRequestHeaders(['Accept', 'text/html', 'Cookie', 'a', 'Content-Length', '5'], plan, FWD, undefined));
  assert.deepEqual(h.accept, ['*/*']);
  assert.equal(h.cookie, undefined);
  assert.deepEqual(h['content-length'], ['5']);
  assert.deepEqual(h['x-request-id'], ['rid-1']);
});

test('request plan: an own body drops the client Content-Length', () => {
  const plan: RequestHeaderPlan = { ...NO_PLAN, dropBodyFraming: true };
  assert.equal(byName(upstreamRequestHeaders(['Content-Length', '5'], plan, FWD, undefined))['content-length'], undefined);
});

const raw = (flat: string[]) => flat.map((s) => Buffer.from(s, 'latin1'));

test('response: hop-by-hop and Connection-listed headers dropped, X-Request-ID is the gateway\'s', () => {
  const h = byName(clientResponseHeaders(raw([
    'Connection', 'keep-alive, X-Up', 'Keep-Alive', 'timeout=9', 'Transfer-Encoding', 'chunked', 'X-Up', 's',
    'Proxy-Authenticate', 'Basic', 'X-Request-ID', 'upstream', 'Content-Type', 'text/plain',
  ]), { remove: new Set(), set: [], add: [] }, 'rid-2'));
  for (const n of ['connection', 'keep-alive', 'transfer-encoding', 'x-up', 'proxy-authenticate']) assert.equal(h[n], undefined, n);
  assert.deepEqual(h['x-request-id'], ['rid-2']);
  assert.deepEqual(h['content-type'], ['text/plain']);
});

test('response plan: set, add and remove', () => {
  const h = byName(clientResponseHeaders(raw(['Server', 'x', 'X-Frame-Options', 'ALLOW', 'Set-Cookie', 'a', 'Set-Cookie', 'b']),
    { remove: new Set(['server']), set: [['x-frame-options', 'DENY']], add: [['x-added', '1']] }, 'rid'));
  assert.equal(h.server, undefined);
  assert.deepEqual(h['x-frame-options'], ['DENY']);
  assert.deepEqual(h['x-added'], ['1']);
  assert.deepEqual(h['set-cookie'], ['a', 'b'], 'repeated headers stay separate');
});

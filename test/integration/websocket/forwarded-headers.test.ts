// The upstream handshake carries the relevant client headers and the gateway's forwarded
// headers; the client's 101 carries X-Request-ID and the upstream's own end-to-end headers.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import { startGateway } from '../../helpers/gateway.js';
import { startWsUpstream, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t, { responseHeaders: ['Set-Cookie: session=abc'] });
const gw = await startGateway(t, `
clusters:
  - { name: ws, endpoints: [{ url: "${up.url}" }] }
routes:
  - { name: chat, match: { prefix: /chat }, cluster: ws, rewrite: { stripPrefix: true } }
`);

test('cookies, origin, X-Forwarded-* and X-Request-ID reach the upstream; 101 headers come back', async () => {
  const client = new WebSocket(wsUrl(gw.url, '/chat/room?x=1'), {
    headers: { cookie: 'a=1', origin: 'https://app.example.com', 'x-request-id': 'ws-req-1' },
    perMessageDeflate: false,
  });
  after(() => client.terminate());
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    client.once('upgrade', resolve);
    client.once('error', reject);
  });
  const c = await up.connection(0);
  const h = c.req.headers;
  assert.equal(c.req.url, '/room?x=1');
  assert.equal(h.cookie, 'a=1');
  assert.equal(h.origin, 'https://app.example.com');
  assert.equal(h['x-request-id'], 'ws-req-1');
  assert.equal(h['x-forwarded-for'], '127.0.0.1');
  assert.equal(h['x-forwarded-proto'], 'http');
  assert.equal(h['x-forwarded-host'], new URL(gw.url).host);
  assert.equal(h['sec-websocket-extensions'], undefined, 'no permessage-deflate offered upstream');
  assert.equal(res.headers['x-request-id'], 'ws-req-1');
  assert.equal(res.headers['set-cookie']?.[0], 'session=abc');
});

// Deferred subprotocol negotiation: the upstream sees exactly what the client offered and the
// client completes its handshake with the upstream's choice, including "none".
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { nextMessage, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t, {
  handleProtocols: (offered) => (offered.has('b') ? 'b' : false),
});
const gw = await startGateway(t, tunnelConfig(up.url));

test('client offers a,b; upstream picks b; the client sees b', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/negotiate'), ['a', 'b']);
  assert.equal(client.protocol, 'b');
  const c = await up.connection();
  assert.deepEqual(c.req.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim()), ['a', 'b']);
  assert.equal(c.ws.protocol, 'b');
  client.send('after negotiation');
  assert.equal((await nextMessage(client)).data.toString(), 'after negotiation');
});

// RFC 6455 lets the server choose none (browsers then connect with protocol ""); ws as a client
// would refuse that itself, so this client is node:http.
test('an upstream that chooses none of the offered subprotocols gives the client none', async () => {
  const before = up.connections.length;
  const req = request(`${gw.url}/none-chosen`, {
    headers: {
      connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': 'a',
    },
  });
  const [res, socket] = await new Promise<[IncomingMessage, Socket]>((resolve, reject) => {
    req.once('upgrade', (r: IncomingMessage, s: Socket) => resolve([r, s]));
    req.once('response', (r: IncomingMessage) => reject(new Error(`status ${r.statusCode}`)));
    req.once('error', reject);
    req.end();
  });
  after(() => socket.destroy());
  assert.equal(res.statusCode, 101);
  assert.equal(res.headers['sec-websocket-protocol'], undefined);
  const c = await up.connection(before);
  assert.equal(c.req.headers['sec-websocket-protocol'], 'a');
  assert.equal(c.ws.protocol, '');
});

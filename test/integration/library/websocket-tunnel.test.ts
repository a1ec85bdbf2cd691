// WebSockets through the Fastify plugin: the upstream sees the client's offered subprotocols and
// the client's handshake completes with the upstream's choice (deferred negotiation); messages
// flow both ways; closing the app closes the tunnel with 1001.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { porticoProxy } from '../../../data-plane/src/lib/index.js';
import { closeEvent, nextMessage, openClient, refusedHandshake, startWsUpstream, wsUrl } from '../../helpers/websocket.js';
import { startApp } from './app.js';

const t = { after };
const up = await startWsUpstream(t, { handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false) });
const { app, url } = await startApp(t, async (a) => {
  await a.register(porticoProxy, { prefix: '/ws', upstream: up.url, websocket: true, headers: { set: { 'x-via': 'library' } } });
  await a.register(porticoProxy, { prefix: '/plain', upstream: up.url });
});

test('subprotocol chosen upstream, prefix stripped, header override applied, echo both ways', async () => {
  const client = await openClient(t, wsUrl(url, '/ws/room/1?user=ann'), ['chat.v1', 'chat.v2']);
  assert.equal(client.protocol, 'chat.v2');
  const c = await up.connection();
  assert.equal(c.req.url, '/room/1?user=ann');
  assert.deepEqual(c.req.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim()), ['chat.v1', 'chat.v2']);
  assert.equal(c.req.headers['x-via'], 'library');
  client.send('hello');
  const echoed = await nextMessage(client);
  assert.equal(echoed.data.toString(), 'hello');
  assert.equal(echoed.isBinary, false);
  client.send(Buffer.from([1, 2, 3]));
  const bin = await nextMessage(client);
  assert.equal(bin.isBinary, true);
  assert.deepEqual([...bin.data], [1, 2, 3]);
});

test('an upgrade outside every websocket prefix is refused with 404 no_route', async () => {
  const refusal = await refusedHandshake(wsUrl(url, '/plain/x'));
  assert.equal(refusal.status, 404);
  assert.equal(JSON.parse(refusal.body).error.type, 'no_route');
});

test('app.close() closes open tunnels with 1001', async () => {
  const client = await openClient(t, wsUrl(url, '/ws/closing'), ['chat.v2']);
  const c = await up.connection(up.connections.length - 1);
  const closed = closeEvent(client);
  await app.close();
  assert.equal((await closed).code, 1001);
  assert.equal((await c.closed).code, 1001);
});

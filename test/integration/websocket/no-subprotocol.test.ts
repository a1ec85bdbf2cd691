// A client that offers no subprotocol: no Sec-WebSocket-Protocol goes upstream, none comes back.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { nextMessage, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t, { handleProtocols: () => 'unasked' });
const gw = await startGateway(t, tunnelConfig(up.url));

test('no subprotocol offered: none sent upstream, none negotiated', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/plain'));
  assert.equal(client.protocol, '');
  const c = await up.connection();
  assert.equal(c.req.headers['sec-websocket-protocol'], undefined);
  assert.equal(c.ws.protocol, '');
  client.send('hello');
  assert.equal((await nextMessage(client)).data.toString(), 'hello');
});

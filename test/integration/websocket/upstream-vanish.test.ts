// An upstream whose TCP connection drops without a close frame: the client is closed at once
// with 1011 (the reserved 1006 is never sent on the wire).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { closeEvent, nextMessage, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url));

test('the client gets 1011 when the upstream connection drops', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/drop'));
  client.send('before');
  assert.equal((await nextMessage(client)).data.toString(), 'before');
  const closed = closeEvent(client);
  const c = await up.connection(0);
  c.ws.terminate();
  const { code } = await closed;
  assert.equal(code, 1011);
});

// Close codes and reasons pass through in both directions.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { closeEvent, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url));

test('the client closes with 4001 and a reason: the upstream gets both', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/client-closes'));
  const c = await up.connection(0);
  const clientClosed = closeEvent(client);
  client.close(4001, 'client says bye');
  assert.deepEqual(await c.closed, { code: 4001, reason: 'client says bye' });
  assert.equal((await clientClosed).code, 4001);
});

test('the upstream closes with 4001 and a reason: the client gets both', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/upstream-closes'));
  const c = await up.connection(1);
  const clientClosed = closeEvent(client);
  c.ws.close(4001, 'upstream says bye');
  assert.deepEqual(await clientClosed, { code: 4001, reason: 'upstream says bye' });
});

test('a close frame without a code reaches the other side without a code (1005, never sent)', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/no-code'));
  const c = await up.connection(2);
  const clientClosed = closeEvent(client);
  c.ws.close();
  assert.equal((await clientClosed).code, 1005);
});

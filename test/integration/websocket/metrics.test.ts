// portico_websocket_tunnels{route} counts open tunnels; messages and bytes are counted per
// direction in portico_websocket_messages_total / portico_websocket_bytes_total.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { closeEvent, nextMessage, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url));

async function metric(line: string): Promise<number | undefined> {
  const text = await (await fetch(`${gw.adminUrl}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(line + ' '));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

test('the tunnel gauge and the message/byte counters follow the traffic', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/metrics-probe'));
  for (let i = 0; i < 3; i++) {
    client.send('0123456789');
    await nextMessage(client);
  }
  assert.equal(await metric('portico_websocket_tunnels{route="ws",plane="all"}'), 1);
  await waitFor(async () => (await metric('portico_websocket_messages_total{route="ws",direction="to_client",plane="all"}')) === 3 || undefined, 'message counter');
  assert.equal(await metric('portico_websocket_messages_total{route="ws",direction="to_upstream",plane="all"}'), 3);
  assert.equal(await metric('portico_websocket_bytes_total{route="ws",direction="to_upstream",plane="all"}'), 30);
  assert.equal(await metric('portico_websocket_bytes_total{route="ws",direction="to_client",plane="all"}'), 30);
  const closed = closeEvent(client);
  client.close(1000);
  await closed;
  await waitFor(async () => (await metric('portico_websocket_tunnels{route="ws",plane="all"}')) === 0 || undefined, 'gauge back to 0');
});

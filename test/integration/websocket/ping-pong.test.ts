// Pings and pongs are relayed, not answered by the proxy: each side's ping reaches the other
// side with its payload, and that side's pong comes back.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url));

function once(ws: { once(e: string, f: (d: Buffer) => void): unknown }, event: 'ping' | 'pong'): Promise<string> {
  return new Promise((resolve) => ws.once(event, (d: Buffer) => resolve(d.toString())));
}

test('ping/pong pass through in both directions with their payloads', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/ping'));
  const c = await up.connection(0);
  const upstreamPinged = once(c.ws, 'ping');
  const clientPonged = once(client, 'pong');
  client.ping('from-client');
  assert.equal(await upstreamPinged, 'from-client');
  assert.equal(await clientPonged, 'from-client');

  const clientPinged = once(client, 'ping');
  const upstreamPonged = once(c.ws, 'pong');
  c.ws.ping('from-upstream');
  assert.equal(await clientPinged, 'from-upstream');
  assert.equal(await upstreamPonged, 'from-upstream');
});

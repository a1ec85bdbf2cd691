// A refused upstream connection is retried on another endpoint (cluster `retries`), as for HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { nextMessage, openClient, startWsUpstream, waitHealthy, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const gone = await startWsUpstream(t);
const alive = await startWsUpstream(t);
const gw = await startGateway(t, `
healthCheck: { interval: 1m }
clusters:
  - { name: ws, retries: 1, endpoints: [{ url: "${gone.url}" }, { url: "${alive.url}" }] }
routes:
  - { match: { prefix: / }, cluster: ws }
`);

before(async () => {
  await waitHealthy(gw, 'ws');
  await gone.close();
});

test('every upgrade lands on the live endpoint when the other refuses connections', async () => {
  for (let i = 0; i < 4; i++) {
    const client = await openClient(t, wsUrl(gw.url, `/retry-${i}`));
    client.send(`hello ${i}`);
    assert.equal((await nextMessage(client)).data.toString(), `hello ${i}`);
    client.close();
  }
  assert.equal(alive.connections.length, 4);
});

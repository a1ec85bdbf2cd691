// A snapshot update (configuration hot reload) never closes open tunnels; removing the tunnel's
// own endpoint from the configuration closes it with 1001.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { closeEvent, nextMessage, openClient, startWsUpstream, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const first = await startWsUpstream(t);
const second = await startWsUpstream(t);
const config = (endpoints: string[], extraRoute = '') => `
clusters:
  - name: ws
    balancer: round-robin
    endpoints: [${endpoints.map((u) => `{ url: "${u}" }`).join(', ')}]
routes:
  ${extraRoute}
  - { name: ws, match: { prefix: / }, cluster: ws }
`;
const gw = await startGateway(t, config([first.url]));

async function servedVersion(): Promise<number> {
  const doc = (await (await fetch(`${gw.adminUrl}/api/status`)).json()) as { dataPlanes: Array<{ snapshotVersion: number }> };
  return Math.min(...doc.dataPlanes.map((d) => d.snapshotVersion));
}

async function reload(yaml: string): Promise<void> {
  const before = await servedVersion();
  writeFileSync(gw.configPath, yaml);
  await waitFor(async () => (await servedVersion()) > before || undefined, 'the data plane to serve a new snapshot', 10_000);
}

test('a snapshot swap keeps the tunnel; removing its endpoint closes it with 1001', async () => {
  const client = await openClient(t, wsUrl(gw.url, '/long-lived'));
  const upstream = await first.connection(0);

  await reload(config([first.url, second.url], '- { name: extra, match: { prefix: /extra }, cluster: ws }'));
  client.send('after the swap');
  assert.equal((await nextMessage(client)).data.toString(), 'after the swap');

  const closed = closeEvent(client);
  await reload(config([second.url]));
  assert.equal((await closed).code, 1001);
  assert.equal((await upstream.closed).code, 1001);
});

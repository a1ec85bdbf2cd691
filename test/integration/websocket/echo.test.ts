// Messages pass unchanged both ways: text stays text, a 1 MiB binary message stays binary and
// byte-identical.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { nextMessage, openClient, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t);
const gw = await startGateway(t, tunnelConfig(up.url));
const client = await openClient(t, wsUrl(gw.url, '/echo'));

test('a text message comes back as the same text', async () => {
  const text = 'héllo, wörld ✓ '.repeat(100);
  client.send(text);
  const m = await nextMessage(client);
  assert.equal(m.isBinary, false);
  assert.equal(m.data.toString('utf8'), text);
});

test('a 1 MiB binary message comes back byte for byte', async () => {
  const payload = randomBytes(1024 * 1024);
  client.send(payload);
  const m = await nextMessage(client);
  assert.equal(m.isBinary, true);
  assert.equal(m.data.length, payload.length);
  assert.ok(m.data.equals(payload));
});

test('the upstream sees the rewritten path and query from the client', async () => {
  const c = await up.connection(0);
  assert.equal(c.req.url, '/echo');
});

// An upstream that refuses the upgrade: the client gets its HTTP status and small body.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { refusedHandshake, startWsUpstream, tunnelConfig, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const up = await startWsUpstream(t, {
  refuse: (_req, socket) => {
    const body = '{"reason":"not for you"}';
    socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\nx-upstream: yes\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
  },
});
const gw = await startGateway(t, tunnelConfig(up.url));

test('upstream 403 reaches the client with its body', async () => {
  const r = await refusedHandshake(wsUrl(gw.url, '/refused'), ['a'], { 'x-request-id': 'refusal-1' });
  assert.equal(r.status, 403);
  assert.equal(r.body, '{"reason":"not for you"}');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['x-upstream'], 'yes');
  assert.equal(r.headers['x-request-id'], 'refusal-1');
  assert.equal(up.upgrades.length, 1);
});

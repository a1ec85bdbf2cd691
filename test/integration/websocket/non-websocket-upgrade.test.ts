// An Upgrade that is not WebSocket (curl --http2 sends `Upgrade: h2c`) is answered as ordinary
// HTTP/1.1, as without a tunnel; the hop-by-hop Upgrade header does not reach the upstream.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { startWsUpstream, tunnelConfig } from '../../helpers/websocket.js';

const t = { after };
const seen: IncomingHttpHeaders[] = [];
const up = await startWsUpstream(t, {
  http: (req, res) => {
    if (req.url === '/h2c') seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain answer');
  },
});
const gw = await startGateway(t, tunnelConfig(up.url));

test('Upgrade: h2c gets a plain HTTP/1.1 answer from the upstream', async () => {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${gw.url}/h2c`, { headers: { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAMAAABkAAQCAAAAAAIAAAAA' } });
    req.once('response', resolve);
    req.once('upgrade', () => reject(new Error('switched protocols')));
    req.once('error', reject);
    req.end();
  });
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  assert.equal(res.statusCode, 200);
  assert.equal(Buffer.concat(chunks).toString(), 'plain answer');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.upgrade, undefined);
  assert.equal(seen[0]!['http2-settings'], undefined);
  assert.equal(up.upgrades.length, 0);
});

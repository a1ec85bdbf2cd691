// Response trailers from the upstream reach the client (SPEC §3.1: "response trailers are
// forwarded"), after the whole chunked body.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
  res.write('part one;');
  res.write('part two');
  res.addTrailers({ 'x-checksum': 'abc123' });
  res.end();
});
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

// Regression: trailers were dropped because forward-http asked res.getHeader('transfer-encoding'),
// which is always undefined after writeHead() with a header list.
test('upstream trailers arrive at the client with the body (were dropped after writeHead with a header list)', async () => {
  const got = await new Promise<{ body: string; trailers: NodeJS.Dict<string> }>((resolve, reject) => {
    const req = request(`${gw.url}/t`, { headers: { te: 'trailers' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ body, trailers: res.trailers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(got.body, 'part one;part two');
  assert.equal(got.trailers['x-checksum'], 'abc123');
});

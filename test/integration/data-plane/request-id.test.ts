// X-Request-ID: a sane client value is kept, anything else is replaced by a generated one; the
// same value goes upstream, comes back on the response and appears in Portico's own errors.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest, rawHeaderValues } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

interface Echoed { headers: Record<string, string | undefined> }

const t = { after };
const up = await startUpstream(t, (req, res) => {
  // An upstream that sets its own id must not override the gateway's.
  res.setHeader('x-request-id', 'upstream-chose-this');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ headers: req.headers }));
});
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: /up }, cluster: up }
`);

const GENERATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sane = ['abc-123', 'req_01HZX.7:a+b/c=', 'a'.repeat(128)];
for (const id of sane) {
  test(`a sane id is kept end to end: ${id.slice(0, 20)}`, async () => {
    const res = await httpRequest(`${gw.url}/up`, { headers: { 'x-request-id': id } });
    assert.equal(res.status, 200);
    assert.equal(res.json<Echoed>().headers['x-request-id'], id);
    assert.deepEqual(rawHeaderValues(res.rawHeaders, 'x-request-id'), [id]);
  });
}

const insane: Array<[string, string | string[]]> = [
  ['too long', 'a'.repeat(129)],
  ['contains a space', 'two words'],
  ['contains a quote', 'x"y'],
  ['contains a comma (header injection into lists)', 'a,b'],
  ['contains a non-ASCII byte', 'caf\u00e9'],
  ['empty', ''],
];
for (const [why, value] of insane) {
  test(`an id that ${why} is replaced by a generated one`, async () => {
    const res = await httpRequest(`${gw.url}/up`, { headers: ['x-request-id', value as string] });
    assert.equal(res.status, 200);
    const upstreamSaw = res.json<Echoed>().headers['x-request-id'];
    assert.match(upstreamSaw ?? '', GENERATED);
    assert.deepEqual(rawHeaderValues(res.rawHeaders, 'x-request-id'), [upstreamSaw]);
  });
}

test('two X-Request-ID headers are not sane: one id is generated', async () => {
  const res = await httpRequest(`${gw.url}/up`, { headers: ['x-request-id', 'one', 'x-request-id', 'two'] });
  const upstreamSaw = res.json<Echoed>().headers['x-request-id'];
  assert.match(upstreamSaw ?? '', GENERATED);
});

test('without a client id each request gets its own generated id', async () => {
  const a = await httpRequest(`${gw.url}/up`);
  const b = await httpRequest(`${gw.url}/up`);
  const idA = a.json<Echoed>().headers['x-request-id'];
  const idB = b.json<Echoed>().headers['x-request-id'];
  assert.match(idA ?? '', GENERATED);
  assert.equal(a.headers['x-request-id'], idA);
  assert.notEqual(idA, idB);
});

test('Portico\'s own error answers carry the id in the header and the JSON body', async () => {
  const res = await httpRequest(`${gw.url}/no-route-here`, { headers: { 'x-request-id': 'err-id-7' } });
  assert.equal(res.status, 404);
  assert.equal(res.headers['x-request-id'], 'err-id-7');
  assert.equal(res.json<{ error: { requestId: string } }>().error.requestId, 'err-id-7');
});

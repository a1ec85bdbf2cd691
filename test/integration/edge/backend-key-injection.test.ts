// Backend key injection (SPEC §2 endpoint `auth`, §3.4): the endpoint's key goes upstream as
// "Authorization: Bearer <key>" or "X-API-Key: <key>", whatever the client sent, so clients only
// ever hold the gateway key.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest, rawHeaderValues } from '../../helpers/http.js';
import { startUpstream, type UpstreamHandler } from '../../helpers/upstream.js';

const t = { after };
// Answers with the auth headers it received, raw (so duplicates show), but never echoes them in
// a way the test could confuse with a leak: this test is about what the upstream receives.
const recorder: UpstreamHandler = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      authorization: rawHeaderValues(req.rawHeaders, 'authorization'),
      apiKey: rawHeaderValues(req.rawHeaders, 'x-api-key'),
    }));
  });
};
const bearer = await startUpstream(t, recorder);
const apiKey = await startUpstream(t, recorder);
const gw = await startGateway(t, `
auth: { keys: ["client-key"] }
clusters:
  - { name: bearer, endpoints: [{ url: "${bearer.url}", auth: { key: "sk-bearer-0001", header: authorization } }] }
  - { name: apikey, endpoints: [{ url: "${apiKey.url}", auth: { key: "sk-apikey-0002", header: x-api-key } }] }
routes:
  - { match: { prefix: /bearer }, cluster: bearer }
  - { match: { prefix: /apikey }, cluster: apikey }
  - { match: { prefix: /open-bearer }, cluster: bearer, auth: none }
  - { match: { prefix: /open-apikey }, cluster: apikey, auth: none }
`);

interface Seen { authorization: string[]; apiKey: string[] }

test('header: authorization sends Authorization: Bearer <key> in place of the gateway key', async () => {
  const res = await httpRequest(`${gw.url}/bearer/v1/chat`, { headers: { authorization: 'Bearer client-key' } });
  assert.equal(res.status, 200, res.text());
  assert.deepEqual(res.json<Seen>(), { authorization: ['Bearer sk-bearer-0001'], apiKey: [] });
});

test('header: x-api-key sends X-API-Key: <key> in place of the gateway key', async () => {
  const res = await httpRequest(`${gw.url}/apikey/v1/chat`, { headers: { 'x-api-key': 'client-key' } });
  assert.equal(res.status, 200, res.text());
  assert.deepEqual(res.json<Seen>(), { authorization: [], apiKey: ['sk-apikey-0002'] });
});

test('the gateway key given in the other header kind is also replaced, not forwarded', async () => {
  const a = await httpRequest(`${gw.url}/bearer/x`, { headers: { 'x-api-key': 'client-key' } });
  assert.deepEqual(a.json<Seen>(), { authorization: ['Bearer sk-bearer-0001'], apiKey: [] });
  const b = await httpRequest(`${gw.url}/apikey/x`, { headers: { authorization: 'Bearer client-key' } });
  assert.deepEqual(b.json<Seen>(), { authorization: [], apiKey: ['sk-apikey-0002'] });
});

// Regression: the client's own Authorization / X-API-Key was forwarded next to the injected one
// when it was not the header that carried the gateway key (or the route had auth: none); the
// upstream then saw two values and Node-style servers keep the first, the client's.
test('client auth headers cannot override or accompany the injected backend key', async () => {
  const cases: Array<{ path: string; headers: Record<string, string>; want: Seen }> = [
    { path: '/apikey/x', headers: { authorization: 'Bearer client-key', 'x-api-key': 'chosen-by-client' }, want: { authorization: [], apiKey: ['sk-apikey-0002'] } },
    { path: '/open-bearer/x', headers: { authorization: 'Bearer chosen-by-client' }, want: { authorization: ['Bearer sk-bearer-0001'], apiKey: [] } },
    { path: '/open-apikey/x', headers: { 'x-api-key': 'chosen-by-client' }, want: { authorization: [], apiKey: ['sk-apikey-0002'] } },
  ];
  for (const c of cases) {
    const res = await httpRequest(`${gw.url}${c.path}`, { headers: c.headers });
    assert.equal(res.status, 200, res.text());
    assert.deepEqual(res.json<Seen>(), c.want, c.path);
  }
});

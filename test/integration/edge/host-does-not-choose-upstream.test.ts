// With two clusters behind two routes, neither an absolute-form target naming the other backend
// nor a Host header naming it changes where a request goes: only the normalised path picks the
// route, and the route's cluster picks the endpoint (SPEC §3.1).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const pub = await startUpstream(t, echo('public'));
const priv = await startUpstream(t, echo('private'));
const privHost = new URL(priv.url).host;
const gw = await startGateway(t, `
clusters:
  - { name: public, endpoints: [{ url: "${pub.url}" }] }
  - { name: private, endpoints: [{ url: "${priv.url}" }] }
routes:
  - { match: { prefix: /private }, cluster: private, auth: { keys: ["private-key"] } }
  - { match: { prefix: /public }, cluster: public }
`);

const cases: Array<[string, string, string]> = [
  ['absolute-form naming the private backend', `http://${privHost}/public/x`, 'x'],
  ['absolute-form with a private path in the authority', `http://${privHost}/private/public/x`, 'x'],
  ['Host naming the private backend', '/public/x', privHost],
  ['Host with the private route as a path', '/public/x', `${privHost}/private`],
  ['absolute-form https with userinfo', `https://user:pw@${privHost}/public/x`, privHost],
];

for (const [name, target, host] of cases) {
  test(name, async () => {
    const before = priv.seen.length;
    const res = await rawHttp(gw.url, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    assert.equal(priv.seen.length, before, 'the private backend was reached');
    if (res.status === 200) assert.equal((JSON.parse(res.body) as { name: string }).name, 'public');
    else assert.ok([400, 401, 404].includes(res.status), res.raw.slice(0, 300));
  });
}

// `static: { spa: true }`: paths that are not files fall back to index.html (client-side
// routing), real files are still served as themselves, and the fallback never reveals what is
// outside the root.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { startUpstream, echo } from '../../helpers/upstream.js';
import { makeStaticSite } from './static-site.js';

const t = { after };
const site = makeStaticSite(t);
const api = await startUpstream(t, echo('api'));
const gw = await startGateway(t, `
clusters:
  - { name: api, endpoints: [{ url: "${api.url}" }] }
routes:
  - { match: { prefix: /api }, cluster: api }
  - { match: { prefix: / }, static: { root: "${site.root}", spa: true } }
`);

test('unknown paths get index.html as text/html', async () => {
  for (const p of ['/', '/dashboard', '/users/42/settings', '/assets/missing.js']) {
    const res = await httpRequest(`${gw.url}${p}`);
    assert.equal(res.status, 200, p);
    assert.match(String(res.headers['content-type']), /^text\/html/, p);
    assert.ok(res.body.equals(site.files['index.html']!), p);
  }
});

test('existing files are served as themselves next to the fallback', async () => {
  const res = await httpRequest(`${gw.url}/assets/style.css`);
  assert.match(String(res.headers['content-type']), /^text\/css/);
  assert.ok(res.body.equals(site.files['assets/style.css']!));
});

test('the API route next to the SPA is still proxied', async () => {
  const res = await httpRequest(`${gw.url}/api/v1/x`);
  assert.equal(res.headers['x-upstream'], 'api');
});

test('escape attempts fall back or fail, never show what is outside the root', async () => {
  for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link-out.txt', '/outside-dir/secret.txt']) {
    const res = await rawHttp(gw.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(!res.body.includes(site.secret), `${target} leaked the secret`);
    assert.ok([200, 400, 404].includes(res.status), `${target}: ${res.status}`);
  }
});

// No path ever escapes a static root (SPEC §2 `static`, issue 5): dot segments plain or
// percent-encoded (also with encoded slashes), backslashes, NUL bytes, and symlinks that point
// out of the root are refused; dotfiles are not served; a symlink that stays inside works.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { makeStaticSite } from './static-site.js';

const t = { after };
const site = makeStaticSite(t);
const gw = await startGateway(t, `
routes:
  - { match: { prefix: /static }, static: { root: "${site.root}" } }
`);

const get = (target: string) => rawHttp(gw.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

const attempts = [
  '/static/../secret.txt',
  '/static/assets/../../secret.txt',
  '/static/%2e%2e/secret.txt',
  '/static/%2E%2E/%2e%2e/secret.txt',
  '/static/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
  '/static/assets/..%2f..%2fsecret.txt',
  '/static/assets/..%5c..%5csecret.txt',
  '/static/..\\secret.txt',
  '/static/assets\\..\\..\\secret.txt',
  '/static/%252e%252e/secret.txt',
  '/static/assets/style.css%00.png',
  '/static/%00/../secret.txt',
  '/static/assets/link-out.txt',
  '/static/outside-dir/secret.txt',
  '/static/outside-dir/',
  '/static/.env',
  '/static/assets/../.env',
  'http://x/static/../secret.txt',
];

for (const target of attempts) {
  test(`${target} does not leave the root`, async () => {
    const res = await get(target);
    assert.ok(!res.body.includes(site.secret), `${target} served the secret`);
    assert.ok(!res.body.includes('DOTFILE'), `${target} served a dotfile`);
    assert.ok([400, 404].includes(res.status), `${target}: ${res.status} ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/json/);
  });
}

test('a symlink that stays inside the root is served', async () => {
  const res = await get('/static/assets/link-in.css');
  assert.equal(res.status, 200, res.body);
  assert.equal(res.body, site.files['assets/style.css']!.toString());
});

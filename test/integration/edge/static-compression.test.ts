// Static routes compress compressible files of at least 1 KiB when the client accepts it: br
// preferred, else gzip; the decompressed bytes are the file; Vary: Accept-Encoding; small files,
// images and clients that accept nothing get the identity encoding.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { makeStaticSite } from './static-site.js';

const t = { after };
const site = makeStaticSite(t);
const gw = await startGateway(t, `
routes:
  - { match: { prefix: / }, static: { root: "${site.root}" } }
`);

for (const name of ['assets/app.js', 'assets/data.json', 'assets/big.txt']) {
  test(`${name}: br when accepted, and it decompresses to the file`, async () => {
    const res = await httpRequest(`${gw.url}/${name}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers.vary), /Accept-Encoding/i);
    assert.ok(res.body.length < site.files[name]!.length, 'not smaller than the file');
    assert.ok(brotliDecompressSync(res.body).equals(site.files[name]!));
  });

  test(`${name}: gzip when only gzip is accepted`, async () => {
    const res = await httpRequest(`${gw.url}/${name}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(res.body).equals(site.files[name]!));
  });
}

test('the compressed answer carries a weak ETag (it is not the byte-identical file)', async () => {
  const br = await httpRequest(`${gw.url}/assets/app.js`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers.etag), /^W\//);
  assert.equal(br.headers['content-length'], undefined, 'the length of the file is not the length of the encoded body');
});

test('no Accept-Encoding, small files and images are sent as they are', async () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['assets/app.js', {}],
    ['assets/style.css', { 'accept-encoding': 'br, gzip' }],
    ['assets/logo.png', { 'accept-encoding': 'br, gzip' }],
  ];
  for (const [name, headers] of cases) {
    const res = await httpRequest(`${gw.url}/${name}`, { headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], undefined, name);
    assert.ok(res.body.equals(site.files[name]!), name);
  }
});

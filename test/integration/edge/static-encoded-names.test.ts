// Regression: static routes passed the already percent-encoded request path through encodeURI
// before @fastify/send decoded it once, so "%20" reached the file system as the literal "%20":
// files with spaces or non-ASCII letters in their names were never found (404).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { makeStaticSite } from './static-site.js';

const t = { after };
const site = makeStaticSite(t);
const gw = await startGateway(t, `
routes:
  - { match: { prefix: /static }, static: { root: "${site.root}" } }
`);

test('percent-encoded file names are served', async () => {
  for (const [target, name] of [['assets/hello%20world.txt', 'assets/hello world.txt'], ['assets/caf%C3%A9.txt', 'assets/café.txt']] as const) {
    const res = await httpRequest(`${gw.url}/static/${target}`);
    assert.equal(res.status, 200, `${target}: ${res.text()}`);
    assert.ok(res.body.equals(site.files[name]!), target);
  }
});

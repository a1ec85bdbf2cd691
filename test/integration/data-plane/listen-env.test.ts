// PORTICO_LISTEN works like --listen (SPEC §1: every flag reads PORTICO_<FLAG>), and the flag
// wins over the variable.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { listeningAddress, runPortico, writeConfig } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { closedPort, echo, startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, echo('via-env'));
const config = writeConfig(`
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

async function ready(adminUrl: string): Promise<void> {
  await waitFor(async () => (await fetch(`${adminUrl}/readyz`)).status === 200 || undefined, 'ready');
}

// Each case runs its own process; they run side by side.
describe('PORTICO_LISTEN', { concurrency: true }, () => {
  test('PORTICO_LISTEN chooses the traffic address', async () => {
    const port = await closedPort();
    const p = runPortico(t, ['all', '-c', config, '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0'], { PORTICO_LISTEN: `127.0.0.1:${port}` });
    const url = await listeningAddress(p, 'traffic');
    assert.equal(url, `http://127.0.0.1:${port}`);
    await ready(await listeningAddress(p, 'admin'));
    const res = await httpRequest(`${url}/x`);
    assert.equal(res.status, 200);
    assert.equal(res.json<{ name: string }>().name, 'via-env');
    assert.equal(await p.stop(), 0);
  });

  test('PORTICO_LISTEN with port 0 picks a free port and logs it', async () => {
    const p = runPortico(t, ['all', '-c', config, '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0'], { PORTICO_LISTEN: '127.0.0.1:0' });
    const url = await listeningAddress(p, 'traffic');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(url, 'http://127.0.0.1:0');
    await ready(await listeningAddress(p, 'admin'));
    assert.equal((await httpRequest(`${url}/x`)).status, 200);
    assert.equal(await p.stop(), 0);
  });

  test('--listen wins over PORTICO_LISTEN', async () => {
    const envPort = await closedPort();
    const p = runPortico(t, ['all', '-c', config, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0'], { PORTICO_LISTEN: `127.0.0.1:${envPort}` });
    const url = await listeningAddress(p, 'traffic');
    assert.notEqual(url, `http://127.0.0.1:${envPort}`);
    await ready(await listeningAddress(p, 'admin'));
    assert.equal(await p.stop(), 0);
  });

  test('an invalid PORTICO_LISTEN is refused with exit 1', async () => {
    const p = runPortico(t, ['all', '-c', config, '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0'], { PORTICO_LISTEN: 'not-an-address' });
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /HOST:PORT/);
  });
});

// SIGTERM drains: /readyz turns 503, new connections are refused, an in-flight slow request
// still completes, then the process exits 0.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
let release: (() => void) | undefined;
const up = await startUpstream(t, (req, res) => {
  if (req.url === '/slow') {
    release = () => res.end('slow done');
    return;
  }
  res.end('fast');
});
// startGateway passes --drain-timeout 2s.
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: up }
`);

test('SIGTERM: the in-flight request completes, readiness drops, then exit 0', async () => {
  assert.equal((await httpRequest(`${gw.url}/warm`)).text(), 'fast');
  const inFlight = httpRequest(`${gw.url}/slow`, { timeoutMs: 10_000 });
  await waitFor(() => release, 'slow request at the upstream');

  gw.proc.kill('SIGTERM');
  await waitFor(() => gw.logs().some((l) => l.msg === 'draining') || undefined, 'draining log line');
  const readyz = await waitFor(async () => {
    const r = await fetch(`${gw.adminUrl}/readyz`).catch(() => undefined);
    return r?.status === 503 ? r : undefined;
  }, '/readyz 503 while draining');
  assert.equal(readyz.status, 503);
  await assert.rejects(httpRequest(`${gw.url}/new`, { headers: { connection: 'close' } }), 'a new connection is refused while draining');
  assert.equal(gw.proc.exitCode, null, 'still running while a request is in flight');

  release!();
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.equal(res.text(), 'slow done');
  assert.equal(await gw.exited, 0);
});

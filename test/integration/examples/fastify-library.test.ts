// examples/fastify-library: the compiled app started as its README says, with two backends; the
// README's requests, a WebSocket through /api, and a backend that dies leaving rotation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { httpRequest } from '../../helpers/http.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { startUpstream, type UpstreamHandler } from '../../helpers/upstream.js';
import { nextMessage, openClient, startWsUpstream, wsUrl } from '../../helpers/websocket.js';

const t = { after };
const named = (name: string): UpstreamHandler => (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ backend: name, url: req.url, proxiedBy: req.headers['x-proxied-by'] ?? null }));
};
const one = await startWsUpstream(t, { http: named('one'), handleProtocols: (offered) => (offered.has('chat') ? 'chat' : false) });
const two = await startUpstream(t, named('two'));

const app = spawn(process.execPath, [join(REPO_ROOT, 'dist/examples/fastify-library/app.js')], {
  env: { ...process.env, BACKENDS: `${one.url},${two.url}`, PORT: '0', HOST: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
app.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
app.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
const exited = new Promise<number | null>((resolve) => app.once('exit', resolve));
after(async () => {
  if (app.exitCode === null) app.kill('SIGTERM');
  await exited;
});
const url = await waitFor(() => {
  if (app.exitCode !== null) throw new Error(`app exited ${app.exitCode}: ${output}`);
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const log = JSON.parse(line) as { msg?: string; address?: string };
    if (log.msg === 'listening' && log.address) return log.address;
  }
  return undefined;
}, 'the example app listening', 15_000);

interface Status { backends: Array<{ name: string; status: string }> }

test('GET /status: both backends probed healthy before the app listened', async () => {
  const res = await httpRequest(`${url}/status`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.json<Status>().backends.map((b) => b.status), ['healthy', 'healthy']);
});

test('GET /api/hello?x=1: prefix stripped, query kept, header set', async () => {
  const res = await httpRequest(`${url}/api/hello?x=1`, { headers: { cookie: 'a=b' } });
  assert.equal(res.status, 200);
  const body = res.json<{ backend: string; url: string; proxiedBy: string }>();
  assert.equal(body.url, '/hello?x=1');
  assert.equal(body.proxiedBy, 'fastify-library-example');
  assert.ok(['one', 'two'].includes(body.backend));
});

test('a WebSocket through /api reaches the backend that speaks it, with its subprotocol', async () => {
  // Only `one` speaks WebSocket: take `two` out of rotation first.
  await two.close();
  await waitFor(async () => (await httpRequest(`${url}/status`)).json<Status>().backends[1]!.status === 'unhealthy' || undefined, 'two unhealthy', 10_000);
  for (let i = 0; i < 4; i++) assert.equal((await httpRequest(`${url}/api/x`)).json<{ backend: string }>().backend, 'one');
  const client = await openClient(t, wsUrl(url, '/api/ws'), ['chat']);
  assert.equal(client.protocol, 'chat');
  client.send('ping?');
  assert.equal((await nextMessage(client)).data.toString(), 'ping?');
  assert.equal((await one.connection()).req.url, '/ws');
  client.close();
});

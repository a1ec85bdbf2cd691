// `portico all` on a converted new-api-proxy backends.json (test/golden/convert/new-api-proxy/
// llm-gateway.json with its backend URLs pointed at local servers) does what new-api-proxy's
// README promised: /{service}/{model}/... reaches a backend of that group with the prefix
// stripped, the gateway key is required and never forwarded, each backend gets its own key in its
// own header, and one client IP keeps one backend.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { after, before, test } from 'node:test';
import { startGateway, type Gateway } from '../../helpers/gateway.js';
import { convertText, goldenInput, withBackends } from '../../helpers/convert.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { startUpstream, type Upstream, type UpstreamHandler } from '../../helpers/upstream.js';

// One gateway for the file, started in `before`: its cleanups run once every test is done.
const cleanups: Array<() => unknown> = [];
const t = { after: (fn: () => unknown) => { cleanups.push(fn); } };
after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});
const GATEWAY_KEY = 'gw-key-0123';
const KEYS = { BACKEND_1_API_KEY: 'sk-backend-1', BACKEND_2_API_KEY: 'sk-backend-2', OPENAI_BACKEND_API_KEY: 'sk-openai' };
const CLUSTER = 'google-gemma-4-26b-a4b-it';
const CHAT = '/google/gemma-4-26b-a4b-it/v1/chat/completions';

/** An OpenAI-style backend: GET .../v1/models is open (it is the health probe), the rest needs its key. */
function llmBackend(name: string, keyOk: (h: IncomingHttpHeaders) => boolean): UpstreamHandler {
  return (req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && /\/v1\/models$/.test(req.url ?? '')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
      } else if (!keyOk(req.headers)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ backend: name, url: req.url }));
      }
    });
  };
}

let gw: Gateway;
let one: Upstream;
let two: Upstream;
let openai: Upstream;

before(async () => {
  one = await startUpstream(t, llmBackend('backend-1', (h) => h.authorization === `Bearer ${KEYS.BACKEND_1_API_KEY}`));
  two = await startUpstream(t, llmBackend('backend-2', (h) => h['x-api-key'] === KEYS.BACKEND_2_API_KEY));
  openai = await startUpstream(t, llmBackend('openai-backend', (h) => h.authorization === `Bearer ${KEYS.OPENAI_BACKEND_API_KEY}`));
  const input = withBackends(goldenInput('new-api-proxy', 'llm-gateway.json'), {
    'http://10.0.0.1:5000': one.url,
    'http://10.0.0.2:5000': two.url,
    'http://10.0.0.3:5000/openai': `${openai.url}/openai`,
  });
  const converted = await convertText(t, 'new-api-proxy', input, 'backends.json');
  assert.equal(converted.code, 0, converted.stderr);
  gw = await startGateway(t, converted.stdout, { env: { BACKEND_API_KEY: GATEWAY_KEY, ...KEYS } });
  await waitForEndpointStatus(gw, CLUSTER, 'healthy');
});

interface Answer { status: number; body: string }

/** One request from a chosen loopback address (127.0.0.0/8 is all ours), so ip-hash sees that client IP. */
function send(path: string, from: string, headers: Record<string, string>, method = 'POST'): Promise<Answer> {
  const url = new URL(path, gw.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: from, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{"model":"gemma","messages":[{"role":"user","content":"hi"}]}' : undefined);
  });
}

const bearer = { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' };
const apiKey = { 'x-api-key': GATEWAY_KEY, 'content-type': 'application/json' };
/** Requests the backends saw, without the health probes. */
const traffic = (u: Upstream) => u.seen.filter((r) => !/\/v1\/models$/.test(r.url));

test('new-api-proxy converted: /service/model/v1/chat/completions reaches a backend of the group at /v1/chat/completions', async () => {
  const before = traffic(one).length + traffic(two).length;
  const res = await send(`${CHAT}?trace=1`, '127.0.0.1', bearer);
  assert.equal(res.status, 200, res.body);
  const answer = JSON.parse(res.body) as { backend: string; url: string };
  assert.ok(['backend-1', 'backend-2'].includes(answer.backend));
  // Stripped prefix; the query now reaches the backend (new-api-proxy dropped it, by accident).
  assert.equal(answer.url, '/v1/chat/completions?trace=1');
  assert.equal(traffic(one).length + traffic(two).length, before + 1);
  assert.equal(traffic(openai).length, 0);
  // The control plane probes the request new-api-proxy probed.
  assert.ok(one.seen.some((r) => r.method === 'GET' && r.url === '/v1/models'));
  assert.ok(openai.seen.some((r) => r.method === 'GET' && r.url === '/openai/v1/models'));
});

test('new-api-proxy converted: another group routes to its own backend, under its URL path', async () => {
  const res = await send('/openai/gpt-4/v1/chat/completions', '127.0.0.1', apiKey);
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { backend: 'openai-backend', url: '/openai/v1/chat/completions' });
});

test('new-api-proxy converted: the gateway key is required', async () => {
  const seen = traffic(one).length + traffic(two).length;
  const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { 'x-api-key': KEYS.BACKEND_1_API_KEY }];
  for (const headers of attempts) {
    const res = await send(CHAT, '127.0.0.1', headers);
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'unauthorized');
  }
  assert.equal(traffic(one).length + traffic(two).length, seen);
});

test('new-api-proxy converted: one client IP keeps one backend; IPs spread over both; each gets its own key, never the gateway key', async () => {
  const byIp = new Map<string, Set<string>>();
  for (let i = 2; i < 42; i++) {
    const ip = `127.0.0.${i}`;
    const backends = new Set<string>();
    for (let n = 0; n < 3; n++) {
      const res = await send(CHAT, ip, n % 2 === 0 ? bearer : apiKey);
      assert.equal(res.status, 200, res.body);
      backends.add((JSON.parse(res.body) as { backend: string }).backend);
    }
    byIp.set(ip, backends);
  }
  for (const [ip, backends] of byIp) assert.equal(backends.size, 1, `${ip} went to ${[...backends].join(' and ')}`);
  const used = new Set([...byIp.values()].flatMap((s) => [...s]));
  assert.deepEqual([...used].sort(), ['backend-1', 'backend-2']);

  // Every request each backend saw carried its own key in its own header, and no gateway key.
  for (const [upstream, header, value, other] of [[one, 'authorization', `Bearer ${KEYS.BACKEND_1_API_KEY}`, 'x-api-key'], [two, 'x-api-key', KEYS.BACKEND_2_API_KEY, 'authorization']] as const) {
    const seen = traffic(upstream);
    assert.ok(seen.length > 0);
    for (const r of seen) {
      assert.equal(r.headers[header], value);
      assert.equal(r.headers[other], undefined);
      assert.ok(!r.rawHeaders.some((v) => v.includes(GATEWAY_KEY)), `gateway key forwarded: ${JSON.stringify(r.rawHeaders)}`);
    }
  }
});

test('new-api-proxy converted: a model that is not configured is not routed', async () => {
  const res = await send('/google/other-model/v1/chat/completions', '127.0.0.1', bearer);
  assert.equal(res.status, 404);
  assert.equal((JSON.parse(res.body) as { error: { type: string } }).error.type, 'no_route');
});


// Proof that backend keys never leak (SPEC §3.4, issue 5): after a run that exercises every
// error path (upstream 500, 502 refused / reset / garbage, 504, 401, 404, 405-ish, redirects),
// neither backend key appears in anything a client saw (status line, headers, body), in the
// public or per-cluster status documents, in the admin API, metrics or dashboard, or anywhere in
// the process output at debug level. The upstreams do receive the keys, so the run really
// exercised injection.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { rawHttp } from '../../helpers/raw-http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const BEARER_KEY = 'sk-LEAKCANARY-bearer-7f3a9c0d11';
const APIKEY_KEY = 'sk-LEAKCANARY-apikey-51d2e84c22';
const GATEWAY_KEY = 'gw-client-key';

const received: string[] = [];
const record = (req: { headers: Record<string, unknown> }) => {
  received.push(String(req.headers.authorization ?? ''), String(req.headers['x-api-key'] ?? ''));
};
const ok = await startUpstream(t, answersHealth((req, res) => {
  record(req);
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('fine');
}));
const fails = await startUpstream(t, answersHealth((req, res) => {
  record(req);
  req.resume();
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end('{"error":"internal"}');
}));
const slow = await startUpstream(t, answersHealth((req, res) => {
  record(req);
  const timer = setTimeout(() => res.end('late'), 2_000);
  res.on('close', () => clearTimeout(timer));
}));
const resets = await startUpstream(t, answersHealth((req) => { record(req); req.socket.destroy(); }));
const garbage = await startUpstream(t, answersHealth((req, res) => {
  record(req);
  res.socket!.end('HTTP/1.1 9x9 Nonsense\r\nbroken header line\r\n\r\n');
}));
const redirects = await startUpstream(t, answersHealth((req, res) => {
  record(req);
  res.writeHead(302, { location: `${redirectsUrl()}/login?next=/x` });
  res.end();
}));
function redirectsUrl(): string { return redirects.url; }
// Healthy at the first probe, closed before traffic: connections are then refused (502).
const closing = await startUpstream(t);

const gw = await startGateway(t, `
healthCheck: { interval: 1m }
auth: { keys: ["${GATEWAY_KEY}"] }
clusters:
  - { name: ok, endpoints: [{ url: "${ok.url}", auth: { key: "${BEARER_KEY}" } }] }
  - { name: fails, retries: 0, endpoints: [{ url: "${fails.url}", auth: { key: "${APIKEY_KEY}", header: x-api-key } }] }
  - { name: slow, timeout: 300ms, endpoints: [{ url: "${slow.url}", auth: { key: "${BEARER_KEY}" } }] }
  - { name: resets, retries: 0, endpoints: [{ url: "${resets.url}", auth: { key: "${APIKEY_KEY}", header: x-api-key } }] }
  - { name: garbage, retries: 0, endpoints: [{ url: "${garbage.url}", auth: { key: "${BEARER_KEY}" } }] }
  - { name: redirects, endpoints: [{ url: "${redirects.url}", auth: { key: "${APIKEY_KEY}", header: x-api-key } }] }
  - { name: refused, retries: 0, endpoints: [{ url: "${closing.url}", auth: { key: "${BEARER_KEY}" } }] }
routes:
  - { match: { prefix: /ok }, cluster: ok }
  - { match: { prefix: /fails }, cluster: fails }
  - { match: { prefix: /slow }, cluster: slow }
  - { match: { prefix: /resets }, cluster: resets }
  - { match: { prefix: /garbage }, cluster: garbage }
  - { match: { prefix: /redirects }, cluster: redirects, response: { rewriteLocation: true } }
  - { match: { prefix: /refused }, cluster: refused }
  - { match: { prefix: /open }, cluster: ok, auth: none }
`, { args: ['--log-level', 'debug'] });

const CLUSTERS = ['ok', 'fails', 'slow', 'resets', 'garbage', 'redirects', 'refused'];
/** Everything any client saw, raw. */
const seenByClients: string[] = [];
const statuses: number[] = [];

async function send(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<void> {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: gateway.test', 'Connection: close'];
  for (const [n, v] of Object.entries(headers)) lines.push(`${n}: ${v}`);
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  const res = await rawHttp(gw.url, `${lines.join('\r\n')}\r\n\r\n${body}`);
  seenByClients.push(res.raw);
  statuses.push(res.status);
}

async function fetchText(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  const head = [...res.headers].map(([n, v]) => `${n}: ${v}`).join('\n');
  return `${res.status}\n${head}\n\n${text}`;
}

before(async () => {
  for (const c of CLUSTERS) await waitForEndpointStatus(gw, c, 'healthy');
  await closing.close();
  const bearer = { authorization: `Bearer ${GATEWAY_KEY}` };
  const apiKey = { 'x-api-key': GATEWAY_KEY };
  for (const h of [bearer, apiKey]) {
    await send('GET', '/ok/v1/models', h);
    await send('POST', '/ok/v1/chat', { ...h, 'content-type': 'application/json' }, '{"model":"x"}');
    await send('POST', '/fails/v1/chat', { ...h, 'content-type': 'application/json' }, '{"model":"x"}');
    await send('GET', '/slow/v1/models', h);
    await send('GET', '/resets/v1/models', h);
    await send('GET', '/garbage/v1/models', h);
    await send('GET', '/redirects/v1/models', h);
    await send('GET', '/refused/v1/models', h);
    await send('GET', '/nowhere', h);
    // Hop-by-hop trick: ask the gateway to drop the very header it injects.
    await send('GET', '/ok/x', { ...h, Connection: 'close, authorization, x-api-key' });
    await send('GET', '/api/health/status', h);
    for (const c of [...CLUSTERS, 'no-such-cluster']) await send('GET', `/api/health/status/${c}`, h);
  }
  await send('GET', '/open/x');
  await send('GET', '/ok/v1/models');
  await send('GET', '/ok/v1/models', { authorization: 'Bearer wrong' });
  await send('GET', '/ok/v1/models', { 'x-api-key': BEARER_KEY }); // a backend key is not a gateway key
  await send('GET', '/api/health/status/ok');
  await send('OPTIONS', '/ok/x', { origin: 'https://x.test', 'access-control-request-method': 'POST' });
  for (const c of CLUSTERS) {
    seenByClients.push(await fetchText(`${gw.url}/api/health/status/${c}`, { authorization: `Bearer ${GATEWAY_KEY}` }));
  }
  seenByClients.push(await fetchText(`${gw.url}/api/health/status`));
  seenByClients.push(await fetchText(`${gw.adminUrl}/api/status`));
  seenByClients.push(await fetchText(`${gw.adminUrl}/metrics`));
  seenByClients.push(await fetchText(`${gw.adminUrl}/`));
});

const KEYS = [BEARER_KEY, APIKEY_KEY];
/** The key itself, and any long part of it (a mask may keep the last 4 characters). */
function leaks(text: string): string | undefined {
  for (const key of KEYS) {
    if (text.includes(key)) return key;
    if (text.includes(key.slice(0, -4))) return key.slice(0, -4);
  }
  return text.includes('LEAKCANARY') ? 'LEAKCANARY' : undefined;
}

test('the run exercised injection and every error path', () => {
  assert.ok(received.includes(`Bearer ${BEARER_KEY}`), 'the bearer key was never injected');
  assert.ok(received.includes(APIKEY_KEY), 'the x-api-key key was never injected');
  for (const status of [200, 302, 401, 404, 500, 502, 504]) {
    assert.ok(statuses.includes(status), `no ${status} in ${JSON.stringify(statuses)}`);
  }
});

test('no response a client saw carries a backend key', () => {
  for (const raw of seenByClients) assert.equal(leaks(raw), undefined, raw.slice(0, 2000));
});

test('the per-cluster status documents name the URL but never the key', async () => {
  for (const c of CLUSTERS) {
    const res = await fetch(`${gw.url}/api/health/status/${c}`, { headers: { 'x-api-key': GATEWAY_KEY } });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(leaks(text), undefined, text);
    const doc = JSON.parse(text) as { endpoints: Array<Record<string, unknown>> };
    assert.ok(doc.endpoints.every((e) => typeof e.url === 'string' && !('auth' in e) && !('key' in e)));
  }
});

test('the process output at debug level never contains a backend key', () => {
  const out = gw.output();
  assert.ok(out.includes('"level":20'), 'debug lines expected in the output');
  assert.ok(out.includes('/fails/v1/chat') && out.includes('/garbage/v1/models'), 'the requests were logged');
  assert.equal(leaks(out), undefined, 'a backend key is in the process output');
});

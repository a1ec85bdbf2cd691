// examples/llm-gateway: the requests its README shows, against fake OpenAI-compatible backends.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { httpRequest } from '../../helpers/http.js';
import { startUpstream, type UpstreamHandler } from '../../helpers/upstream.js';
import { examplePath, startExample } from './run.js';
import { runPortico } from '../../helpers/gateway.js';

const t = { after };
const KEYS = { BACKEND_API_KEY: 'gw-secret', GPU_1_API_KEY: 'k-gpu-1', GPU_2_API_KEY: 'k-gpu-2', VLLM_API_KEY: 'k-vllm' };

/** An OpenAI-compatible fake: /v1/models, and a chat completion streamed as SSE in two events. */
const llm = (name: string): UpstreamHandler => (req, res) => {
  const auth = { authorization: req.headers.authorization ?? null, 'x-api-key': req.headers['x-api-key'] ?? null };
  if (req.url === '/v1/models') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: name }], backend: name, path: req.url, auth }));
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ backend: name, path: req.url, auth })}\n\n`);
    setTimeout(() => res.end('data: [DONE]\n\n'), 150);
  });
};

const gpu1 = await startUpstream(t, llm('gpu-1'));
const gpu2 = await startUpstream(t, llm('gpu-2'));
const vllm = await startUpstream(t, llm('vllm-1'));
const gw = await startExample(t, 'llm-gateway', { ...KEYS, LLM_BACKEND_1: gpu1.url, LLM_BACKEND_2: gpu2.url, LLM_BACKEND_3: vllm.url });
await waitForEndpointStatus(gw, 'ollama-llama3', 'healthy');
await waitForEndpointStatus(gw, 'vllm-qwen', 'healthy');

test('the example validates (keys as ${VAR} references)', async () => {
  const p = runPortico(t, ['validate', '-c', examplePath('llm-gateway')], KEYS);
  assert.equal(await p.exited, 0, p.output());
});

test('streamed chat completion: SSE arrives event by event, prefix stripped, the backend gets its own key', async () => {
  const events: string[] = [];
  let firstAt = 0;
  let ended = false;
  const started = Date.now();
  const req = request(`${gw.url}/ollama/llama3/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.BACKEND_API_KEY}`, 'content-type': 'application/json' },
  });
  req.on('response', (res) => {
    assert.equal(res.headers['content-type'], 'text/event-stream');
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      if (events.length === 0) firstAt = Date.now() - started;
      events.push(d);
    });
    res.on('end', () => { ended = true; });
  });
  req.end(JSON.stringify({ model: 'llama3', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
  after(() => req.destroy());
  await waitFor(() => ended, 'end of the stream');
  assert.ok(events.length >= 2, 'two separate chunks');
  assert.doesNotMatch(events[0]!, /DONE/, `the first event arrived alone (after ${firstAt} ms), not with the end of the stream`);
  const first = JSON.parse(events[0]!.replace(/^data: /, '')) as { backend: string; path: string; auth: Record<string, string | null> };
  assert.equal(first.path, '/v1/chat/completions');
  const expected = first.backend === 'gpu-1' ? { authorization: 'Bearer k-gpu-1', 'x-api-key': null } : { authorization: null, 'x-api-key': 'k-gpu-2' };
  assert.deepEqual(first.auth, expected, 'the gateway key never reaches the backend');
});

test('X-API-Key works as the gateway key; the vLLM route', async () => {
  const res = await httpRequest(`${gw.url}/vllm/qwen2.5/v1/models`, { headers: { 'x-api-key': KEYS.BACKEND_API_KEY } });
  assert.equal(res.status, 200);
  const doc = res.json<{ backend: string; auth: Record<string, string | null> }>();
  assert.equal(doc.backend, 'vllm-1');
  assert.deepEqual(doc.auth, { authorization: 'Bearer k-vllm', 'x-api-key': null });
});

test('no key: 401 unauthorized', async () => {
  const res = await httpRequest(`${gw.url}/ollama/llama3/v1/models`);
  assert.equal(res.status, 401);
  assert.equal(res.json<{ error: { type: string } }>().error.type, 'unauthorized');
});

test('ip-hash: one client keeps its backend', async () => {
  const names = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const res = await httpRequest(`${gw.url}/ollama/llama3/v1/models`, { headers: { authorization: `Bearer ${KEYS.BACKEND_API_KEY}` } });
    names.add(res.json<{ backend: string }>().backend);
  }
  assert.equal(names.size, 1);
});

test('status page lists every backend without URLs or keys', async () => {
  const res = await httpRequest(`${gw.url}/api/health/status`);
  assert.equal(res.status, 200);
  const doc = res.json<{ status: string; clusters: Record<string, { endpoints: Array<{ name: string; status: string }> }> }>();
  assert.equal(doc.status, 'ok');
  assert.deepEqual(doc.clusters['ollama-llama3']!.endpoints.map((e) => e.name), ['gpu-1', 'gpu-2']);
  assert.doesNotMatch(res.text(), /k-gpu|127\.0\.0\.1/);
});

// SSE through the library: the client has the response headers and the first event while the
// upstream still holds the stream open (nothing is buffered whole).
import assert from 'node:assert/strict';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, test } from 'node:test';
import { porticoProxy } from '../../../data-plane/src/lib/index.js';
import { waitFor } from '../../helpers/cleanup.js';
import { startUpstream } from '../../helpers/upstream.js';
import { startApp } from './app.js';

const t = { after };
const held: ServerResponse[] = [];
const backend = await startUpstream(t, (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  held.push(res);
});
const { url } = await startApp(t, (app) => app.register(porticoProxy, { prefix: '/llm', upstream: backend.url }));

test('events reach the client one by one while the upstream stream stays open', async () => {
  let response: IncomingMessage | undefined;
  let received = '';
  let ended = false;
  const req = request(`${url}/llm/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } });
  req.on('response', (res) => {
    response = res;
    res.setEncoding('utf8');
    res.on('data', (d: string) => { received += d; });
    res.on('end', () => { ended = true; });
  });
  req.on('error', () => undefined);
  req.end('{"stream":true}');
  after(() => req.destroy());

  const upstream = await waitFor(() => held[0], 'upstream request');
  await waitFor(() => response, 'response headers before any event');
  assert.equal(response!.headers['content-type'], 'text/event-stream');
  assert.equal(received, '');

  upstream.write('data: one\n\n');
  await waitFor(() => received.includes('data: one'), 'first event');
  assert.equal(received, 'data: one\n\n');
  assert.equal(ended, false);

  upstream.write('data: two\n\n');
  await waitFor(() => received.includes('data: two'), 'second event');
  upstream.end('data: [DONE]\n\n');
  await waitFor(() => ended, 'end of stream');
  assert.equal(received, 'data: one\n\ndata: two\n\ndata: [DONE]\n\n');
});

// response.headers set / add / remove on what the client receives.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { httpRequest, rawHeaderValues } from '../../helpers/http.js';
import { startUpstream } from '../../helpers/upstream.js';

const t = { after };
const up = await startUpstream(t, (_req, res) => {
  res.setHeader('Server', 'backend/1.0');
  res.setHeader('X-Powered-By', 'express');
  res.setHeader('X-Frame-Options', 'ALLOW');
  res.setHeader('X-Kept', 'yes');
  res.setHeader('Content-Type', 'text/plain');
  res.end('hello');
});
const gw = await startGateway(t, `
clusters:
  - { name: up, endpoints: [{ url: "${up.url}" }] }
routes:
  - name: edited
    match: { prefix: /edited }
    cluster: up
    response:
      headers:
        set: { X-Frame-Options: DENY, x-gateway: portico }
        add: { x-added: one }
        remove: [server, X-Powered-By]
  - { name: plain, match: { prefix: /plain }, cluster: up }
`);

test('set replaces an upstream header and adds a new one', async () => {
  const res = await httpRequest(`${gw.url}/edited`);
  assert.equal(res.status, 200);
  assert.deepEqual(rawHeaderValues(res.rawHeaders, 'x-frame-options'), ['DENY']);
  assert.equal(res.headers['x-gateway'], 'portico');
  assert.equal(res.text(), 'hello');
});

test('add appends a header', async () => {
  const res = await httpRequest(`${gw.url}/edited`);
  assert.equal(res.headers['x-added'], 'one');
});

test('remove drops upstream headers whatever their case, others pass', async () => {
  const res = await httpRequest(`${gw.url}/edited`);
  assert.equal(res.headers.server, undefined);
  assert.equal(res.headers['x-powered-by'], undefined);
  assert.equal(res.headers['x-kept'], 'yes');
});

test('without response overrides the upstream headers pass unchanged', async () => {
  const res = await httpRequest(`${gw.url}/plain`);
  assert.equal(res.headers.server, 'backend/1.0');
  assert.equal(res.headers['x-powered-by'], 'express');
  assert.equal(res.headers['x-frame-options'], 'ALLOW');
});

// Regression: GET /api/health/status/%E0 (a malformed percent-escape in the cluster name) threw
// URIError from decodeURIComponent inside the request handler; the uncaught exception shut the
// whole gateway down. With auth off, any anonymous client could stop it with one request
// (found while writing these tests; handler.ts now decodes with a fallback).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startEchoGateway } from '../../helpers/gateway.js';
import { httpRequest } from '../../helpers/http.js';
import { rawHttp } from '../../helpers/raw-http.js';

const t = { after };
const { gw } = await startEchoGateway(t);

test('a malformed escape in the cluster name is a 4xx JSON error and the gateway keeps serving', async () => {
  for (const name of ['%E0', '%', '%zz', '%C3%28', '%ED%A0%80']) {
    const res = await rawHttp(gw.url, `GET /api/health/status/${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 3_000).catch((err: Error) => err);
    assert.ok(!(res instanceof Error), `no answer for ${name}: ${String(res)}`);
    assert.ok(res.status === 400 || res.status === 404, `${name}: ${res.raw}`);
    assert.match((JSON.parse(res.body) as { error: { type: string } }).error.type, /^(bad_request|no_route)$/);
  }
  assert.equal(gw.proc.exitCode, null, 'the gateway exited');
  const health = await httpRequest(`${gw.url}/health`);
  assert.equal(health.status, 200);
});

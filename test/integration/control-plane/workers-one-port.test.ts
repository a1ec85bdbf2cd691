// data-plane --workers 2: two worker processes serve one traffic port; the primary's /metrics
// aggregates them.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { waitFor } from '../../helpers/cleanup.js';
import { controlPlaneStatus, metric, startControlPlane, startDataPlane } from '../../helpers/planes.js';
import { clusterYaml, startBackend } from './backends.js';

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request, so the primary spreads them over the workers.
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('--workers 2: two processes share one traffic port', async (t) => {
  const a = await startBackend(t, 'a');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a]) });
  const dp = await startDataPlane(t, ['--control-plane', cp.grpc, '--id', 'dp-w', '--workers', '2']);
  const listening = await waitFor(() => {
    const lines = dp.logs().filter((l) => l.msg === 'listening' && l.listener === 'traffic');
    return lines.length === 2 ? lines : undefined;
  }, 'two workers listening');
  assert.equal(listening[0]!.address, listening[1]!.address, 'one port');
  assert.notEqual(listening[0]!.pid, listening[1]!.pid, 'two processes');
  await waitFor(() => dp.logs().filter((l) => l.msg === 'snapshot installed').length >= 2 || undefined, 'both workers installed a snapshot');

  const N = 20;
  const codes = [];
  for (let i = 0; i < N; i++) codes.push(await get(`${dp.url}/w${i}`));
  assert.deepEqual(new Set(codes), new Set([200]));
  // Log lines are buffered (up to 4 KiB to a pipe, 32 KiB to a file, or 200 ms): wait until every request's line is out.
  const served = await waitFor(() => {
    const lines = dp.logs().filter((l) => typeof l.path === 'string' && (l.path as string).startsWith('/w'));
    return lines.length >= N ? lines : undefined;
  }, 'an access-log line per request');
  const servedBy = new Set(served.map((l) => l.pid));
  assert.equal(servedBy.size, 2, 'both workers served requests');
  assert.equal(await metric(dp.adminUrl, 'portico_requests_total', 'code="200"'), N, 'metrics aggregated over workers');
  const statusView = await controlPlaneStatus(cp.adminUrl);
  assert.deepEqual(statusView.dataPlanes.map((d) => d.id), ['dp-w'], 'one identity: the primary relays to its workers');
});

test('--workers 2: the workers\' log lines never interleave on the shared stdout pipe', async (t) => {
  const a = await startBackend(t, 'a');
  const cp = await startControlPlane(t, { yaml: clusterYaml([a]) });
  const dp = await startDataPlane(t, ['--control-plane', cp.grpc, '--id', 'dp-logs', '--workers', '2']);
  await waitFor(() => dp.logs().filter((l) => l.msg === 'snapshot installed').length >= 2 || undefined, 'both workers installed a snapshot');

  // Enough traffic that both workers write buffered batches of lines at the same time.
  const N = 600;
  for (let i = 0; i < N; i += 30) {
    const codes = await Promise.all(Array.from({ length: 30 }, (_, j) => get(`${dp.url}/interleave/${i + j}/${'x'.repeat(200)}`)));
    assert.deepEqual(new Set(codes), new Set([200]));
  }
  const served = await waitFor(() => {
    const lines = dp.logs().filter((l) => typeof l.path === 'string' && (l.path as string).startsWith('/interleave/'));
    return lines.length >= N ? lines : undefined;
  }, 'an access-log line per request');
  assert.equal(new Set(served.map((l) => l.pid)).size, 2, 'both workers logged');
  const broken = dp.output().split('\n').filter((line) => line !== '' && !isJson(line));
  assert.deepEqual(broken, [], 'every line of output is one whole JSON object');
});

function isJson(line: string): boolean {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
}

// match.payload selects a route by a deep-equal JSON body; anything else goes on, body intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGateway } from '../../helpers/gateway.js';
import { answersHealth, waitForEndpointStatus } from '../../helpers/health.js';
import { echo, startUpstream } from '../../helpers/upstream.js';

interface Echo { name: string; body: string }

test('payload routing', async (t) => {
  const logs = await startUpstream(t, answersHealth(echo('logs')));
  const other = await startUpstream(t, answersHealth(echo('other')));
  const gw = await startGateway(t, `
gateway: { maxBufferedBody: 1kb }
clusters:
  - { name: logs, endpoints: [{ url: "${logs.url}" }] }
  - { name: other, endpoints: [{ url: "${other.url}" }] }
routes:
  - match: { path: /ingest, methods: [POST], payload: [{ name: log_file.log, path: "c:/logs", opts: { deep: [1, 2] } }] }
    cluster: logs
  - { match: { prefix: / }, cluster: other }
`);
  await waitForEndpointStatus(gw, 'logs', 'healthy');
  const post = async (body: string) => (await (await fetch(`${gw.url}/ingest`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).json()) as Echo;

  const cases: Array<[string, string]> = [
    ['{"name":"log_file.log","path":"c:/logs","opts":{"deep":[1,2]}}', 'logs'],
    ['{"opts":{"deep":[1,2]},"path":"c:/logs","name":"log_file.log"}', 'logs'], // key order irrelevant
    ['{"name":"log_file.log","path":"c:/logs"}', 'other'], // missing key
    ['{"name":"log_file.log","path":"c:/logs","opts":{"deep":[1,2]},"x":1}', 'other'], // extra key
    ['{"name":"log_file.log","path":"c:/logs","opts":{"deep":["1",2]}}', 'other'], // type differs
    ['{"name": not json', 'other'],
    [`{"name":"${'x'.repeat(4000)}"}`, 'other'], // over maxBufferedBody
  ];
  for (const [body, expected] of cases) {
    const got = await post(body);
    assert.equal(got.name, expected, body.slice(0, 80));
    assert.equal(got.body, body, 'the body reaches the upstream intact');
  }
});

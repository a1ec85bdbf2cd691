// deploy/helm/portico/values.yaml validates against values.schema.json (as `helm install` would
// check it), and the schema rejects the mistakes it exists to catch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { deepMerge, readChartValues } from './helpers/chart.js';
import { CHART_DIR } from './helpers/paths.js';

const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function errors(values: unknown): string[] {
  return validate(values) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

test('values.yaml validates against values.schema.json', () => {
  assert.deepEqual(errors(readChartValues()), []);
});

test('values.schema.json rejects typos and unsafe or inconsistent values', () => {
  const cases: Array<[string, unknown]> = [
    ['unknown top-level key', { replicaCount: 3 }],
    ['typo in a nested key', { dataPlane: { autoscaling: { maxReplica: 5 } } }],
    ['HPA bound below 1', { dataPlane: { autoscaling: { minReplicas: 0 } } }],
    ['root allowed', { podSecurityContext: { runAsNonRoot: false } }],
    ['privilege escalation', { securityContext: { allowPrivilegeEscalation: true } }],
    ['capabilities kept', { securityContext: { capabilities: { drop: ['NET_RAW'] } } }],
    ['redis inside config (use .redis)', { config: { redis: { url: 'redis://r:6379' } } }],
    ['unknown config section', { config: { gatway: {} } }],
    ['config without routes', { config: { routes: [] } }],
    ['not a Redis URL', { redis: { url: 'http://redis:6379' } }],
    ['PORTICO_REDIS set by hand', { secret: { env: { PORTICO_REDIS: 'redis://x' } } }],
    ['secret env value not a string', { secret: { env: { PORTICO_API_KEY: 12 } } }],
    ['bad log level', { logLevel: 'verbose' }],
    ['port out of range', { dataPlane: { service: { port: 70000 } } }],
    ['drain timeout zero', { drain: { timeoutSeconds: 0 } }],
  ];
  for (const [why, override] of cases) {
    assert.notDeepEqual(errors(deepMerge(readChartValues(), override)), [], `schema should reject: ${why}`);
  }
});

test('values.schema.json accepts the documented overrides', () => {
  const overrides: unknown[] = [
    { redis: { url: 'rediss://user:pw@redis.example:6380/0' } },
    { secret: { existingSecret: 'my-keys' } },
    { secret: { env: { PORTICO_API_KEY: 'k', NODE1_KEY: 'n' } } },
    { dataPlane: { autoscaling: { enabled: false }, replicas: 3, podDisruptionBudget: { maxUnavailable: '25%' } } },
    { metrics: { serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'kube-prometheus' } } } },
    { dataPlane: { service: { type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } } } },
  ];
  for (const o of overrides) assert.deepEqual(errors(deepMerge(readChartValues(), o)), [], JSON.stringify(o));
});

// deploy/k8s: `kubectl kustomize` renders the base and the example overlay offline; every object
// is valid for its kind (schema + no unknown fields) and has the properties of SPEC §7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { kustomize, validateObject } from './helpers/k8s.js';
import { assertPorticoObjects, container, find } from './helpers/properties.js';

const EXPECTED_KINDS = ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service', 'Service'];

test('kustomize base renders valid objects with the deployment properties', async () => {
  const objects = await kustomize('base');
  assert.deepEqual(objects.map((o) => o.kind).sort(), EXPECTED_KINDS);
  assert.deepEqual(objects.flatMap(validateObject), []);
  assertPorticoObjects(objects, { prefix: 'portico', redis: false, autoscaling: { min: 2, max: 10 }, secretName: 'portico-secrets' });
  for (const o of objects) assert.equal((o.metadata as { namespace?: string }).namespace, undefined, 'the base leaves the namespace to kubectl or an overlay');
});

test('example overlay: own namespace, 4-20 data planes, external Redis, ServiceMonitor', async () => {
  const objects = await kustomize('overlays/example');
  assert.deepEqual(objects.map((o) => o.kind).sort(), [...EXPECTED_KINDS, 'ServiceMonitor'].sort());
  assert.deepEqual(objects.flatMap(validateObject), []);
  assertPorticoObjects(objects, { prefix: 'portico', redis: true, autoscaling: { min: 4, max: 20 }, secretName: 'portico-secrets' });
  for (const o of objects) assert.equal((o.metadata as { namespace?: string }).namespace, 'portico');

  const secret = find(objects, 'Secret', 'portico-secrets');
  assert.match(secret.stringData.PORTICO_REDIS, /^redis:\/\//);
  const config = parse(find(objects, 'ConfigMap', 'portico-config').data['portico.yaml']);
  assert.deepEqual(config.redis, { url: '${PORTICO_REDIS}', keyPrefix: 'portico:' });

  // The ServiceMonitor scrapes the port both Services call "admin".
  const monitor = find(objects, 'ServiceMonitor', 'portico');
  for (const name of ['portico-control-plane', 'portico-data-plane']) {
    const svc = find(objects, 'Service', name);
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(svc.metadata.labels[k], v, `ServiceMonitor selects ${name}`);
    assert.ok(svc.spec.ports.some((p: { name: string }) => p.name === monitor.spec.endpoints[0].port));
  }
  // The control plane is untouched by the data-plane patch.
  assert.equal(container(find(objects, 'Deployment', 'portico-control-plane')).args[0], 'control-plane');
});

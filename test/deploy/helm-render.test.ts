// The chart, rendered by the Go-template subset renderer with default values and with overrides,
// gives valid objects with the deployment properties; NOTES.txt tells how to reach everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderChart, type Values } from './helpers/chart.js';
import { validateObject } from './helpers/k8s.js';
import { assertPorticoObjects, container, find } from './helpers/properties.js';

function render(values: Values = {}, releaseName = 'portico') {
  const r = renderChart({ values, releaseName, namespace: 'gateways' });
  assert.deepEqual(r.objects.flatMap(validateObject), []);
  return r;
}

test('default values: valid objects with the deployment properties', () => {
  const { objects, notes } = render();
  assert.deepEqual(objects.map((o) => o.kind).sort(), ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service', 'Service']);
  assertPorticoObjects(objects, { prefix: 'portico', redis: false, autoscaling: { min: 2, max: 10 }, secretName: 'portico-secrets' });
  for (const o of objects) {
    assert.equal((o.metadata as { namespace?: string }).namespace, 'gateways');
    assert.equal((o.metadata as unknown as { labels: Record<string, string> }).labels['app.kubernetes.io/managed-by'], 'Helm');
  }
  assert.match(notes, /port-forward svc\/portico-data-plane 8080:8080/);
  assert.match(notes, /port-forward svc\/portico-control-plane 9901:9901/);
  assert.match(notes, /WARNING: secret\.env\.PORTICO_API_KEY is empty/);
});

test('release name, fixed replicas, external Redis, existing Secret, ServiceMonitor', () => {
  const { objects, notes } = render({
    dataPlane: { autoscaling: { enabled: false }, replicas: 3, podDisruptionBudget: { maxUnavailable: 2 } },
    redis: { url: 'redis://redis:6379/0', keyPrefix: 'edge:' },
    secret: { existingSecret: 'my-keys' },
    metrics: { serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prom' } } },
    drain: { timeoutSeconds: 40, preStopSleepSeconds: 8 },
  }, 'edge');
  assertPorticoObjects(objects, { prefix: 'edge-portico', redis: true, autoscaling: { replicas: 3 }, secretName: 'my-keys' });
  assert.equal(objects.filter((o) => o.kind === 'Secret').length, 0, 'existingSecret: the chart creates no Secret');
  assert.equal(find(objects, 'PodDisruptionBudget', 'edge-portico-data-plane').spec.maxUnavailable, 2);
  const dp = find(objects, 'Deployment', 'edge-portico-data-plane');
  assert.equal(dp.spec.template.spec.terminationGracePeriodSeconds, 8 + 40 + 10);
  assert.deepEqual(container(dp).lifecycle.preStop.exec.command, ['sleep', '8']);
  assert.equal(container(dp).env.find((v: { name: string }) => v.name === 'PORTICO_DRAIN_TIMEOUT').value, '40s');
  const monitor = find(objects, 'ServiceMonitor', 'edge-portico');
  assert.equal(monitor.metadata.labels.release, 'prom');
  assert.equal(monitor.spec.endpoints[0].interval, '15s');
  assert.match(notes, /3 replicas, fed from Redis/);
  assert.doesNotMatch(notes, /WARNING/);
});

test('the Secret holds the keys and the Redis URL; its checksum rolls the pods', () => {
  const a = render({ secret: { env: { PORTICO_API_KEY: 'k1', NODE1_KEY: 'n1' } }, redis: { url: 'redis://r:6379' } });
  const secret = find(a.objects, 'Secret', 'portico-secrets');
  assert.deepEqual(secret.stringData, { NODE1_KEY: 'n1', PORTICO_API_KEY: 'k1', PORTICO_REDIS: 'redis://r:6379' });
  const b = render({ secret: { env: { PORTICO_API_KEY: 'k2', NODE1_KEY: 'n1' } }, redis: { url: 'redis://r:6379' } });
  const sum = (r: typeof a) => find(r.objects, 'Deployment', 'portico-control-plane').spec.template.metadata.annotations['checksum/secret'];
  assert.match(sum(a), /^[0-9a-f]{64}$/);
  assert.notEqual(sum(a), sum(b));
});

test('scrape annotations and topology spread can be turned off; pod annotations and scheduling pass through', () => {
  const { objects } = render({
    metrics: { podAnnotations: false },
    dataPlane: {
      topologySpread: { enabled: false },
      podAnnotations: { 'example.com/team': 'edge' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }],
    },
  });
  const dp = find(objects, 'Deployment', 'portico-data-plane').spec.template;
  assert.equal(dp.metadata.annotations['prometheus.io/scrape'], undefined);
  assert.equal(dp.metadata.annotations['example.com/team'], 'edge');
  assert.equal(dp.spec.topologySpreadConstraints, undefined);
  assert.deepEqual(dp.spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.equal(dp.spec.tolerations[0].value, 'gateway');
});

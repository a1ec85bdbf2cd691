// The Helm chart and the kustomize manifests describe the same deployment. Rendered side by side
// (chart defaults vs deploy/k8s/base; chart with the overlay's settings vs the example overlay),
// every object must match field for field once the differences that are by design are removed:
// the namespace Helm stamps, the labels naming the tool (helm.sh/chart, managed-by), the
// checksum/* pod annotations only Helm can compute, and portico.yaml's formatting (compared parsed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renderChart, type K8sObject } from './helpers/chart.js';
import { kustomize } from './helpers/k8s.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped JSON here */
function normalize(obj: K8sObject): any {
  const o: any = structuredClone(obj);
  delete o.metadata.namespace;
  const dropToolLabels = (labels: Record<string, string> | undefined) => {
    if (!labels) return;
    delete labels['helm.sh/chart'];
    delete labels['app.kubernetes.io/managed-by'];
  };
  dropToolLabels(o.metadata.labels);
  const pod = o.spec?.template?.metadata;
  if (pod) {
    dropToolLabels(pod.labels);
    for (const k of Object.keys(pod.annotations ?? {})) if (k.startsWith('checksum/')) delete pod.annotations[k];
  }
  if (o.kind === 'ConfigMap' && typeof o.data?.['portico.yaml'] === 'string') o.data['portico.yaml'] = parse(o.data['portico.yaml']);
  return o;
}

const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

function assertSameObjects(helm: K8sObject[], kust: K8sObject[]): void {
  assert.deepEqual(helm.map(id).sort(), kust.map(id).sort(), 'same kinds and names');
  for (const h of helm) {
    const k = kust.find((x) => id(x) === id(h))!;
    assert.deepEqual(normalize(k), normalize(h), `${id(h)} differs between deploy/k8s and the Helm chart`);
  }
  // The labels naming the tool are there on both sides, each with its own value.
  for (const o of [...helm, ...kust]) assert.ok((o.metadata as any).labels['app.kubernetes.io/managed-by'], id(o));
}

test('chart defaults (release "portico") render the same objects as deploy/k8s/base', async () => {
  const helm = renderChart({ releaseName: 'portico', namespace: 'default' }).objects;
  const base = await kustomize('base');
  assertSameObjects(helm, base);

  // The comparison is live: a drifted probe path, port or label fails it.
  const drifted = structuredClone(base);
  const dp: any = drifted.find((o) => id(o) === 'Deployment/portico-data-plane');
  dp.spec.template.spec.containers[0].readinessProbe.httpGet.path = '/ready';
  assert.throws(() => assertSameObjects(helm, drifted), /Deployment\/portico-data-plane differs/);
  const relabelled = structuredClone(base);
  (relabelled.find((o) => id(o) === 'Service/portico-control-plane')!.metadata as any).labels['app.kubernetes.io/version'] = '0.0.9';
  assert.throws(() => assertSameObjects(helm, relabelled), /Service\/portico-control-plane differs/);
  assert.throws(() => assertSameObjects(helm, base.filter((o) => o.kind !== 'PodDisruptionBudget')), /same kinds and names/);
});

test('chart with the example overlay\'s settings renders the same objects as the overlay', async () => {
  const helm = renderChart({
    releaseName: 'portico',
    namespace: 'portico',
    values: {
      redis: { url: 'redis://redis.portico.svc.cluster.local:6379/0' },
      dataPlane: { autoscaling: { minReplicas: 4, maxReplicas: 20 } },
      metrics: { serviceMonitor: { enabled: true } },
    },
  }).objects;
  assertSameObjects(helm, await kustomize('overlays/example'));
});

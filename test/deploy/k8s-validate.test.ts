// The object validator the other deploy tests rely on catches what it must: schema violations
// (kubernetes-models) and unknown fields at any depth (the strict walk), and knows every kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderChart } from './helpers/chart.js';
import { validateObject } from './helpers/k8s.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped JSON here */
const objects = renderChart({ values: { metrics: { serviceMonitor: { enabled: true } } } }).objects;
const pick = (kind: string, name = 'portico-data-plane'): any =>
  structuredClone(objects.find((o) => o.kind === kind && (kind === 'ServiceMonitor' || kind === 'ConfigMap' || kind === 'Secret' || o.metadata.name === name)));

test('reports schema violations and unknown fields at any depth', () => {
  const cases: Array<[string, (o: any) => void, string, RegExp]> = [
    ['Deployment', (d) => { d.spec.replicas = 'two'; }, 'wrong type', /spec\/replicas must be integer/],
    ['Deployment', (d) => { delete d.spec.selector; }, 'missing required field', /selector/],
    ['Deployment', (d) => { d.spec.template.spec.containers[0].readinesProbe = d.spec.template.spec.containers[0].readinessProbe; }, 'typo in a container field', /containers\[0\]\.readinesProbe: unknown field/],
    ['Deployment', (d) => { d.spec.template.spec.containers[0].env[2].valueFrom.fieldRef.path = 'x'; }, 'typo deep in env', /fieldRef\.path: unknown field/],
    ['Deployment', (d) => { d.spec.template.spec.topologySpreadConstraints[0].labelSelector.labels = {}; }, 'typo in a label selector', /labelSelector\.labels: unknown field/],
    ['Deployment', (d) => { d.spec.template.spec.securityContext.runAsNonroot = true; }, 'typo in the pod security context', /runAsNonroot: unknown field/],
    ['Service', (s) => { s.spec.ports[0].target = 8080; }, 'typo in a Service port', /ports\[0\]\.target: unknown field/],
    ['HorizontalPodAutoscaler', (h) => { h.spec.targetCPUUtilizationPercentage = 70; }, 'autoscaling/v1 field in a v2 HPA', /targetCPUUtilizationPercentage: unknown field/],
    ['PodDisruptionBudget', (p) => { p.spec.selector.matchLabel = {}; }, 'typo in the PDB selector', /matchLabel: unknown field/],
    ['ConfigMap', (c) => { c.metadata.label = {}; }, 'typo in metadata', /metadata\.label: unknown field/],
    ['Secret', (s) => { s.string_data = {}; }, 'unknown top-level field', /\.string_data: unknown field/],
    ['ServiceMonitor', (m) => { m.spec.endpoints[0].targetPort = 'admin'; }, 'unknown ServiceMonitor field', /must NOT have additional properties/],
    ['Deployment', (d) => { d.kind = 'StatefulSet'; }, 'a kind with no schema here', /has no schema here/],
  ];
  for (const [kind, mutate, why, expected] of cases) {
    const obj = pick(kind);
    assert.ok(obj, kind);
    assert.deepEqual(validateObject(obj), [], `${kind} is valid before the change`);
    mutate(obj);
    const problems = validateObject(obj);
    assert.ok(problems.some((p) => expected.test(p)), `${why}: got ${JSON.stringify(problems)}`);
  }
});

// The deployment properties issue 7 asks for, asserted on a set of rendered objects (from the
// Helm chart or from kustomize) so both sources are held to the same contract (SPEC §1, §4, §7).
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { K8sObject } from './chart.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped JSON here */
type Any = any;

export interface Expect {
  /** Prefix of object names ("portico" for release portico / the kustomize base). */
  prefix: string;
  /** Data planes fed from Redis instead of the control plane's gRPC stream. */
  redis: boolean;
  /** HPA bounds, or a fixed replica count when autoscaling is off. */
  autoscaling: { min: number; max: number } | { replicas: number };
  secretName: string;
}

export const ADMIN_PORT = { 'control-plane': 9901, 'data-plane': 9902 } as const;

export function find(objects: K8sObject[], kind: string, name: string): Any {
  const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  assert.equal(hits.length, 1, `expected exactly one ${kind}/${name}, found ${hits.length}`);
  return hits[0];
}

export function container(deployment: Any): Any {
  const containers = deployment.spec.template.spec.containers;
  assert.equal(containers.length, 1, `${deployment.metadata.name}: one container`);
  return containers[0];
}

/** Resolves a probe's port (a name or a number) to the container port number. */
export function probePort(c: Any, probe: Any): number {
  const port = probe.httpGet.port;
  if (typeof port === 'number') return port;
  const named = c.ports.find((p: Any) => p.name === port);
  assert.ok(named, `probe port "${port}" is not a container port of ${c.name}`);
  return named.containerPort;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function assertPorticoObjects(objects: K8sObject[], e: Expect): void {
  const cpName = `${e.prefix}-control-plane`;
  const dpName = `${e.prefix}-data-plane`;
  const cp = find(objects, 'Deployment', cpName);
  const dp = find(objects, 'Deployment', dpName);
  const cpSvc = find(objects, 'Service', cpName);
  const dpSvc = find(objects, 'Service', dpName);
  const configMap = find(objects, 'ConfigMap', `${e.prefix}-config`);

  // Standard labels on every object; component labels on the planes' objects.
  for (const o of objects) {
    const labels = (o.metadata as Any).labels ?? {};
    for (const key of ['name', 'instance', 'version', 'part-of', 'managed-by']) {
      assert.ok(labels[`app.kubernetes.io/${key}`], `${o.kind}/${o.metadata.name} lacks app.kubernetes.io/${key}`);
    }
    if (o.metadata.name === cpName) assert.equal(labels['app.kubernetes.io/component'], 'control-plane', `${o.kind}/${cpName}`);
    if (o.metadata.name === dpName) assert.equal(labels['app.kubernetes.io/component'], 'data-plane', `${o.kind}/${dpName}`);
  }

  for (const [plane, d, svc] of [['control-plane', cp, cpSvc], ['data-plane', dp, dpSvc]] as const) {
    const pod = d.spec.template;
    const c = container(d);
    // Selector, pod labels and Service agree, and select only this plane.
    assert.ok(matches(d.spec.selector.matchLabels, pod.metadata.labels), `${plane}: selector must match pod labels`);
    assert.equal(d.spec.selector.matchLabels['app.kubernetes.io/component'], plane);
    assert.deepEqual(svc.spec.selector, d.spec.selector.matchLabels, `${plane}: Service selects the Deployment's pods`);
    assert.equal(pod.metadata.labels['app.kubernetes.io/component'], plane);
    // The image runs the plane's command.
    assert.equal(c.args[0], plane);
    assert.equal(argValue(c.args, '--admin'), `0.0.0.0:${ADMIN_PORT[plane]}`, `${plane}: admin on all interfaces`);
    // Probes on the admin port: liveness /healthz, readiness /readyz.
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    assert.equal(probePort(c, c.livenessProbe), ADMIN_PORT[plane], `${plane}: liveness on the admin port`);
    assert.equal(probePort(c, c.readinessProbe), ADMIN_PORT[plane], `${plane}: readiness on the admin port`);
    // Non-root, no privilege escalation, no capabilities, read-only root filesystem.
    const podSc = pod.spec.securityContext ?? {};
    const sc = c.securityContext ?? {};
    assert.equal(sc.runAsNonRoot ?? podSc.runAsNonRoot, true, `${plane}: runAsNonRoot`);
    assert.ok((sc.runAsUser ?? podSc.runAsUser) > 0, `${plane}: numeric non-root uid (the kubelet cannot check a named user)`);
    assert.equal(sc.allowPrivilegeEscalation, false, `${plane}: allowPrivilegeEscalation`);
    assert.deepEqual(sc.capabilities?.drop, ['ALL'], `${plane}: capabilities dropped`);
    assert.equal(sc.capabilities?.add, undefined);
    assert.equal(sc.privileged ?? false, false);
    assert.equal(sc.readOnlyRootFilesystem, true, `${plane}: readOnlyRootFilesystem`);
    assert.equal(pod.spec.automountServiceAccountToken, false);
    // Requests and memory limits.
    assert.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${plane}: CPU and memory requests (the HPA needs CPU requests)`);
    assert.ok(c.resources?.limits?.memory, `${plane}: memory limit`);
    // Prometheus scrape annotations point at the admin port.
    assert.equal(pod.metadata.annotations['prometheus.io/scrape'], 'true');
    assert.equal(pod.metadata.annotations['prometheus.io/port'], String(ADMIN_PORT[plane]));
    assert.equal(pod.metadata.annotations['prometheus.io/path'], '/metrics');
    // Service exposes the admin port by name (the ServiceMonitor scrapes port "admin").
    const admin = svc.spec.ports.find((p: Any) => p.name === 'admin');
    assert.ok(admin, `${plane}: Service port "admin"`);
    assert.ok(admin.targetPort === 'admin' || admin.targetPort === ADMIN_PORT[plane]);
    // Drain: SIGTERM -> drain timeout; the grace period covers preStop + drain + Portico's 5 s stop.
    const drain = envValue(c, 'PORTICO_DRAIN_TIMEOUT');
    assert.match(drain, /^\d+s$/, `${plane}: PORTICO_DRAIN_TIMEOUT in seconds`);
    const preStop = c.lifecycle?.preStop?.exec?.command;
    const sleep = preStop ? Number(preStop[1]) : 0;
    if (plane === 'data-plane') {
      assert.equal(preStop?.[0], 'sleep', 'data plane: preStop sleep while endpoints are removed');
      assert.ok(sleep > 0);
    }
    assert.ok(pod.spec.terminationGracePeriodSeconds >= sleep + parseInt(drain, 10) + 5,
      `${plane}: terminationGracePeriodSeconds ${pod.spec.terminationGracePeriodSeconds} < preStop ${sleep} + drain ${drain} + 5`);
    // No PORTICO_* variables injected by service links.
    assert.equal(pod.spec.enableServiceLinks, false);
  }

  // Control plane: exactly one, never two at once, config from the ConfigMap, keys from the Secret.
  assert.equal(cp.spec.replicas, 1);
  assert.equal(cp.spec.strategy.type, 'Recreate');
  const cpc = container(cp);
  assert.equal(argValue(cpc.args, '--config') ?? argValue(cpc.args, '-c'), '/etc/portico/portico.yaml');
  assert.equal(argValue(cpc.args, '--grpc'), '0.0.0.0:18000');
  const configVolume = cp.spec.template.spec.volumes.find((v: Any) => v.configMap?.name === configMap.metadata.name);
  assert.ok(configVolume, 'control plane mounts the ConfigMap');
  assert.ok(cpc.volumeMounts.some((m: Any) => m.name === configVolume.name && m.mountPath === '/etc/portico'));
  assert.ok(cpc.envFrom.some((s: Any) => s.secretRef?.name === e.secretName), 'control plane reads the Secret as env');
  const grpcPort = cpSvc.spec.ports.find((p: Any) => p.name === 'grpc');
  assert.equal(grpcPort?.port, 18000);
  assert.ok(typeof configMap.data['portico.yaml'] === 'string' && configMap.data['portico.yaml'].length > 0);

  // Data plane: traffic port, identity from the pod name, fed by gRPC or Redis.
  const dpc = container(dp);
  assert.equal(argValue(dpc.args, '--listen'), '0.0.0.0:8080');
  assert.equal(dpc.ports.find((p: Any) => p.name === 'http')?.containerPort, 8080);
  assert.equal(dpSvc.spec.ports.find((p: Any) => p.name === 'http')?.targetPort, 'http');
  assert.equal(dpc.env.find((v: Any) => v.name === 'PORTICO_ID')?.valueFrom?.fieldRef?.fieldPath, 'metadata.name');
  const redisEnv = dpc.env.find((v: Any) => v.name === 'PORTICO_REDIS');
  if (e.redis) {
    assert.equal(argValue(dpc.args, '--control-plane'), undefined, 'Redis-fed data planes do not also dial gRPC');
    assert.deepEqual(redisEnv?.valueFrom?.secretKeyRef, { name: e.secretName, key: 'PORTICO_REDIS' });
    assert.match(configMap.data['portico.yaml'], /^redis:\n\s+url: \$\{PORTICO_REDIS\}/m, 'control plane publishes to Redis');
    const prefix = (parse(configMap.data['portico.yaml']) as { redis: { keyPrefix: string } }).redis.keyPrefix;
    assert.equal(envValue(dpc, 'PORTICO_REDIS_KEY_PREFIX'), prefix, 'data planes read the keys the control plane writes');
  } else {
    assert.equal(argValue(dpc.args, '--control-plane'), `${cpName}:18000`);
    assert.equal(redisEnv, undefined);
    assert.doesNotMatch(configMap.data['portico.yaml'], /^redis:/m);
  }
  const spread = dp.spec.template.spec.topologySpreadConstraints ?? [];
  assert.ok(spread.length > 0, 'data planes spread over topology domains');
  for (const s of spread) assert.ok(matches(s.labelSelector.matchLabels, dp.spec.template.metadata.labels), 'spread counts data-plane pods');

  // HPA on CPU targets the data-plane Deployment (which then leaves replicas to it).
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  if ('min' in e.autoscaling) {
    assert.equal(hpas.length, 1);
    const hpa: Any = hpas[0];
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: dpName });
    assert.equal(hpa.spec.minReplicas, e.autoscaling.min);
    assert.equal(hpa.spec.maxReplicas, e.autoscaling.max);
    assert.ok(hpa.spec.minReplicas <= hpa.spec.maxReplicas);
    assert.equal(hpa.spec.metrics[0].resource.name, 'cpu');
    assert.equal(dp.spec.replicas, undefined, 'the HPA owns the replica count');
  } else {
    assert.equal(hpas.length, 0);
    assert.equal(dp.spec.replicas, e.autoscaling.replicas);
  }

  // PDB selects data-plane pods and nothing else.
  const pdb = find(objects, 'PodDisruptionBudget', dpName);
  assert.ok(matches(pdb.spec.selector.matchLabels, dp.spec.template.metadata.labels), 'PDB selects data-plane pods');
  assert.ok(!matches(pdb.spec.selector.matchLabels, cp.spec.template.metadata.labels), 'PDB does not select the control plane');
}

export function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

export function envValue(c: Any, name: string): string {
  const v = c.env?.find((x: Any) => x.name === name);
  assert.ok(v, `${c.name}: env ${name}`);
  return v.value;
}

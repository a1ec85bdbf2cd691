// Validation of rendered Kubernetes objects, in two passes:
//  1. kubernetes-models' generated validators (the Kubernetes OpenAPI schema for each kind:
//     required fields, types, enums, formats). They accept unknown fields, so
//  2. a strict walk rejects every key the kind's schema does not declare. The field lists come
//     from the same package's TypeScript declarations (generated from the same OpenAPI document),
//     read with the TypeScript compiler API, so a typo such as `readinesProbe` fails the test.
// ServiceMonitor (a Prometheus Operator CRD, not in kubernetes-models) is checked with a strict
// JSON schema of the fields we use.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { K8sObject } from './chart.js';
import { K8S_DIR, REPO_ROOT } from './paths.js';

const run = promisify(execFile);

/** `kubectl kustomize <dir>` (offline), parsed into objects. */
export async function kustomize(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', join(K8S_DIR, dir)], { timeout: 15_000, maxBuffer: 16 << 20 });
  return parseAllDocuments(stdout, { uniqueKeys: true }).map((d) => {
    if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
    return d.toJS() as K8sObject;
  });
}

// --- kinds ---------------------------------------------------------------------------------------

interface ModelCtor { new (data: object): { validate(): void } }

/** apiVersion/kind -> model class and the name of its interface in the kinds file below. */
const KINDS: Record<string, { model: ModelCtor; iface: string; module: string }> = {
  'apps/v1/Deployment': { model: Deployment, iface: 'IDeployment', module: 'apps/v1/Deployment' },
  'v1/Service': { model: Service, iface: 'IService', module: 'v1/Service' },
  'v1/ConfigMap': { model: ConfigMap, iface: 'IConfigMap', module: 'v1/ConfigMap' },
  'v1/Secret': { model: Secret, iface: 'ISecret', module: 'v1/Secret' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, iface: 'IHorizontalPodAutoscaler', module: 'autoscaling/v2/HorizontalPodAutoscaler' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, iface: 'IPodDisruptionBudget', module: 'policy/v1/PodDisruptionBudget' },
};

// The Prometheus Operator's ServiceMonitor, limited to the fields the chart and kustomize use;
// additionalProperties: false everywhere, so unknown keys fail as they do for built-in kinds.
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const SERVICE_MONITOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'ServiceMonitor' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }, namespace: { type: 'string' }, labels: stringMap, annotations: stringMap },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['selector', 'endpoints'],
      properties: {
        selector: { type: 'object', additionalProperties: false, properties: { matchLabels: stringMap } },
        namespaceSelector: { type: 'object', additionalProperties: false, properties: { matchNames: { type: 'array', items: { type: 'string' } }, any: { type: 'boolean' } } },
        endpoints: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['port'],
            properties: {
              port: { type: 'string' },
              path: { type: 'string', pattern: '^/' },
              interval: { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' },
              scheme: { enum: ['http', 'https'] },
            },
          },
        },
      },
    },
  },
};
const validateServiceMonitor = new Ajv({ allErrors: true, strict: true }).compile(SERVICE_MONITOR_SCHEMA);

export function kindKey(obj: { apiVersion?: unknown; kind?: unknown }): string {
  return `${String(obj.apiVersion)}/${String(obj.kind)}`;
}

// --- strict field walk over kubernetes-models' declarations ------------------------------------------

let checker: ts.TypeChecker | undefined;
let kindsType: ts.Type | undefined;

function typeChecker(): { checker: ts.TypeChecker; kinds: ts.Type } {
  if (checker && kindsType) return { checker, kinds: kindsType };
  const virtual = join(REPO_ROOT, 'test', 'deploy', '__k8s_kinds__.ts');
  const source = [
    ...Object.values(KINDS).map((k) => `import type { ${k.iface} } from 'kubernetes-models/${k.module}';`),
    'export interface Kinds {',
    ...Object.entries(KINDS).map(([key, k]) => `  '${key}': ${k.iface};`),
    '}',
  ].join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
    strict: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === virtual ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === virtual || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === virtual ? source : readFile(name));
  const program = ts.createProgram({ rootNames: [virtual], options, host });
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(virtual));
  if (problems.length) throw new Error(ts.formatDiagnostics(problems, host));
  checker = program.getTypeChecker();
  const file = program.getSourceFile(virtual)!;
  const decl = file.statements.find(ts.isInterfaceDeclaration)!;
  kindsType = checker.getTypeAtLocation(decl);
  return { checker, kinds: kindsType };
}

function isObjectType(c: ts.TypeChecker, t: ts.Type): boolean {
  return (t.flags & ts.TypeFlags.Object) !== 0 && !c.isArrayType(t);
}

function walk(c: ts.TypeChecker, value: unknown, type: ts.Type, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  let t = c.getNonNullableType(type);
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  if (t.isUnion()) {
    const fits = t.types.filter((m) => (Array.isArray(value) ? c.isArrayType(m) : isObjectType(c, m)));
    if (fits.length !== 1) return; // a primitive where an object is expected: pass 1 reports it
    t = fits[0]!;
  }
  if (Array.isArray(value)) {
    if (!c.isArrayType(t)) return;
    const element = c.getTypeArguments(t as ts.TypeReference)[0]!;
    value.forEach((v, i) => walk(c, v, element, `${path}[${i}]`, out));
    return;
  }
  if (!isObjectType(c, t)) return;
  const index = c.getIndexInfoOfType(t, ts.IndexKind.String);
  for (const [key, v] of Object.entries(value)) {
    const prop = c.getPropertyOfType(t, key);
    if (prop) walk(c, v, c.getTypeOfSymbol(prop), `${path}.${key}`, out);
    else if (index) walk(c, v, index.type, `${path}.${key}`, out);
    else out.push(`${path}.${key}: unknown field`);
  }
}

/** Keys the kind's schema does not declare, as "path: unknown field" lines. */
export function unknownFields(obj: object): string[] {
  const { checker: c, kinds } = typeChecker();
  const key = kindKey(obj as K8sObject);
  const prop = c.getPropertyOfType(kinds, key);
  if (!prop) return [`no schema for ${key}`];
  const out: string[] = [];
  walk(c, obj, c.getTypeOfSymbol(prop), '', out);
  return out;
}

// --- both passes ------------------------------------------------------------------------------

/** Every schema problem of one object; empty when it is valid. */
export function validateObject(obj: K8sObject): string[] {
  const key = kindKey(obj);
  const where = `${obj.kind}/${obj.metadata?.name}`;
  if (key === 'monitoring.coreos.com/v1/ServiceMonitor') {
    return validateServiceMonitor(obj) ? [] : validateServiceMonitor.errors!.map((e) => `${where}: ${e.instancePath} ${e.message}`);
  }
  const kind = KINDS[key];
  if (!kind) return [`${where}: kind ${key} has no schema here (add it to test/deploy/helpers/k8s.ts)`];
  const problems: string[] = [];
  try {
    new kind.model(obj).validate();
  } catch (err) {
    problems.push(`${where}: ${(err as Error).message}`);
  }
  for (const p of unknownFields(obj)) problems.push(`${where}: ${p}`);
  return problems;
}

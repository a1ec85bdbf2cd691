// What the manifests ask of the image and the CLI holds: the Dockerfile builds a non-root,
// production-only image with the portico entrypoint; every flag and PORTICO_* variable the
// manifests pass is one the CLI declares (SPEC §1); the shipped portico.yaml files are valid
// Portico configurations, and refuse to load while the gateway key is left empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../shared/src/config/index.js';
import { renderChart, type K8sObject } from './helpers/chart.js';
import { kustomize } from './helpers/k8s.js';
import { container, find } from './helpers/properties.js';
import { DEPLOY_DIR, REPO_ROOT } from './helpers/paths.js';
import { porticoNodeFlags } from '../../bench/subjects.js';

const SHIPPED_FLAGS = porticoNodeFlags(join(REPO_ROOT, 'bin/portico.ts'));

interface Stage { from: string; name?: string; lines: string[] }

function stages(dockerfile: string): Stage[] {
  const out: Stage[] = [];
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const from = line.match(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i);
    if (from) out.push({ from: from[1]!, name: from[2], lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

test('Dockerfile: multi-stage, production dependencies only, non-root, portico entrypoint', () => {
  const src = readFileSync(join(DEPLOY_DIR, 'Dockerfile'), 'utf8');
  assert.match(src, /^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  assert.match(src, /distroless/i, 'the base image choice is explained');
  const all = stages(src);
  assert.ok(all.length >= 2, 'multi-stage');
  for (const s of all) assert.equal(s.from, '${NODE_IMAGE}');
  const runtime = all.at(-1)!;
  const build = all.find((s) => s.lines.some((l) => /npx tsc -p tsconfig\.json/.test(l)))!;
  assert.ok(build && build !== runtime, 'TypeScript compiles in a build stage');
  assert.ok(build.lines.some((l) => /^RUN npm ci\b(?!.*--omit=dev)/.test(l)), 'the build stage installs dev dependencies');
  const prod = all.find((s) => s.lines.some((l) => /^RUN npm ci .*--omit=dev/.test(l)));
  assert.ok(prod, 'a stage installs production dependencies only');
  // The runtime stage takes node_modules from the production stage, never from the build stage.
  const modules = runtime.lines.filter((l) => /^COPY .*node_modules/.test(l));
  assert.deepEqual(modules.map((l) => l.match(/--from=(\S+)/)?.[1]), [prod.name]);
  assert.ok(runtime.lines.some((l) => new RegExp(`^COPY --from=${build.name} \\S*/dist \\./dist$`).test(l)), 'dist from the build stage');
  assert.ok(runtime.lines.some((l) => /^COPY proto \.\/proto$/.test(l)), 'proto/ is loaded at run time');
  assert.ok(runtime.lines.some((l) => /^COPY package\.json/.test(l)), 'package.json ("type": "module")');
  assert.ok(!runtime.lines.some((l) => /^RUN /.test(l)), 'nothing runs in the runtime stage: it only assembles files');
  const users = runtime.lines.filter((l) => /^USER /.test(l));
  assert.deepEqual(users, ['USER node']);
  assert.ok(runtime.lines.indexOf('USER node') < runtime.lines.findIndex((l) => l.startsWith('ENTRYPOINT')));
  const entrypoint = ['node', ...SHIPPED_FLAGS, '/app/dist/bin/portico.js'].map((w) => JSON.stringify(w)).join(', ');
  assert.ok(runtime.lines.includes(`ENTRYPOINT [${entrypoint}]`), 'node with the bin\'s flags runs the portico bin');
  assert.ok(runtime.lines.includes('WORKDIR /app'));

  const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const p of ['.git', 'node_modules', 'dist', 'test']) assert.ok(ignore.includes(p), `.dockerignore excludes ${p}`);
  for (const p of ['proto', 'bin', 'shared', 'package.json', 'tsconfig.json']) assert.ok(!ignore.includes(p), `.dockerignore keeps ${p}`);
});

test('the image and `make run` start node with the flags of the portico bin\'s shebang', () => {
  assert.deepEqual(SHIPPED_FLAGS, ['--max-semi-space-size=32', '--single-threaded-gc']);
  const run = readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8').split('\n').find((l) => /portico\.js all/.test(l));
  assert.equal(run?.trim(), `node ${SHIPPED_FLAGS.join(' ')} dist/bin/portico.js all -c examples/demo/portico.yaml`);
});

function cliSources(dir: string): string {
  let text = '';
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) text += cliSources(p);
    else if (f.endsWith('.ts')) text += readFileSync(p, 'utf8');
  }
  return text;
}

test('every flag and PORTICO_* variable in the manifests is declared by the CLI', async () => {
  const cli = cliSources(join(REPO_ROOT, 'bin'));
  const objects: K8sObject[] = [...(await kustomize('base')), ...(await kustomize('overlays/example'))];
  const flags = new Set<string>();
  for (const o of objects.filter((x) => x.kind === 'Deployment')) {
    const c = container(o);
    for (const a of c.args as string[]) if (a.startsWith('--')) flags.add(a.slice(2));
    for (const e of c.env as Array<{ name: string }>) {
      if (e.name.startsWith('PORTICO_')) flags.add(e.name.slice('PORTICO_'.length).toLowerCase().replace(/_/g, '-'));
    }
  }
  assert.ok(flags.size >= 9, [...flags].join(' '));
  for (const flag of flags) {
    assert.match(cli, new RegExp(`'(-\\w, )?--${flag}[ <']`), `bin/ declares --${flag} (env PORTICO_${flag.toUpperCase().replace(/-/g, '_')})`);
  }
});

test('the shipped portico.yaml files are valid, and an empty gateway key keeps them from loading', async () => {
  const sources: Array<[string, K8sObject[]]> = [
    ['kustomize base', await kustomize('base')],
    ['kustomize overlay', await kustomize('overlays/example')],
    ['chart defaults', renderChart().objects],
    ['chart with Redis', renderChart({ values: { redis: { url: 'redis://r:6379' } } }).objects],
  ];
  for (const [where, objects] of sources) {
    const yaml = find(objects, 'ConfigMap', 'portico-config').data['portico.yaml'];
    const secret = objects.find((o) => o.kind === 'Secret') as { stringData: Record<string, string> } | undefined;
    const env = { ...secret?.stringData };
    // As shipped, the key is empty: the control plane must refuse to start rather than run open.
    assert.equal(env.PORTICO_API_KEY, '', `${where}: no real key is committed`);
    assert.throws(() => parseConfig(yaml, env, '/etc/portico'), ConfigError, `${where}: empty key must not load`);
    const loaded = parseConfig(yaml, { ...env, PORTICO_API_KEY: 'a-generated-key' }, '/etc/portico');
    assert.deepEqual(loaded.config.auth.keys, ['a-generated-key'], where);
    assert.equal(loaded.config.redis?.url, env.PORTICO_REDIS, `${where}: Redis only when the Secret names one`);
  }
});

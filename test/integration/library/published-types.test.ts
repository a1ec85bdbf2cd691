// The package's published declarations (package.json "exports" -> dist/.../lib/index.d.ts) type a
// consumer project that imports "portico" by name: correct use compiles (exit 0), misuse does not.
// The consumer lives in a temp dir whose node_modules/portico links to this repository, as an
// installed package would; @ts-expect-error lines fail the compile if a misuse is accepted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/paths.js';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function consumerProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'portico'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules', 'fastify'), join(dir, 'node_modules', 'fastify'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'ESNext.Disposable'],
      strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
    },
    include: Object.keys(files),
  }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function tsc(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    proc.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    proc.on('exit', (code) => resolve({ code, output }));
  });
}

const GOOD = `
import { createServer } from 'node:http';
import Fastify from 'fastify';
import {
  HealthChecker, LoadBalancer, PorticoError, porticoProxy, proxyPass, proxyWebSocket,
  type EndpointStatus, type HealthState, type ProxiedWebSocket, type ProxyResult,
} from 'portico';

const app = Fastify();
const checker = new HealthChecker([
  'http://127.0.0.1:9001',
  { url: 'http://127.0.0.1:9002', name: 'b', path: '/status', interval: '2s', expectedStatus: '200-299', weight: 2 },
], { timeout: 500, unhealthyThreshold: 3 });
checker.on('change', (s: EndpointStatus, previous: HealthState) => { console.log(s.name, s.status, previous); });
const lb = new LoadBalancer({ endpoints: checker, balancer: 'least-latency', retries: 2, timeout: '10s' });
await app.register(porticoProxy, { prefix: '/api', loadBalancer: lb, websocket: true, headers: { set: { 'x-env': 'prod' }, remove: ['cookie'] } });
await app.register(porticoProxy, { prefix: '/one', upstream: 'http://127.0.0.1:9003', forwardQuery: false, method: 'POST' });

const server = createServer(async (req, res) => {
  const r: ProxyResult = await proxyPass(req, res, 'http://127.0.0.1:9004', { body: '{}', headers: { replace: { accept: '*/*' } } });
  if (r.error instanceof PorticoError) console.log(r.error.type, r.error.status, r.attempts);
});
server.on('upgrade', (req, socket, head) => {
  void proxyWebSocket(req, socket, head, 'ws://127.0.0.1:9005').then((t: ProxiedWebSocket | undefined) => t?.protocol);
});
const picked = lb.pick({} as import('node:http').IncomingMessage);
console.log(picked?.name, picked?.latencyMs);
{
  await using scoped = new HealthChecker(['http://127.0.0.1:9006']);
  await using balancer = new LoadBalancer({ endpoints: ['http://127.0.0.1:9007'], balancer: 'ip-hash' });
  await scoped.start();
  console.log(scoped.status().length, balancer.endpoints().length);
}

// @ts-expect-error balancer names are checked
new LoadBalancer({ endpoints: ['http://x'], balancer: 'random' });
// @ts-expect-error the upstream is a URL string
await app.register(porticoProxy, { prefix: '/x', upstream: 42 });
// @ts-expect-error header override values are strings
void proxyPass(null!, null!, 'http://x', { headers: { set: { a: 1 } } });
// @ts-expect-error health states are a closed set
const state: HealthState = 'degraded';
console.log(state);
`;

const BAD = `
import { LoadBalancer } from 'portico';
new LoadBalancer({ endpoints: ['http://x'], balancer: 'fastest' });
`;

/** The README's Library example, compiled as it is printed. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library'));
  const start = section.indexOf('```ts\n');
  assert.notEqual(start, -1, 'README Library section has a TypeScript example');
  return section.slice(start + 6, section.indexOf('```', start + 6));
}

test('a consumer compiles against the published declarations (and the README example does); misuse does not', async () => {
  const [good, bad] = await Promise.all([
    tsc(consumerProject({ 'app.ts': GOOD, 'readme.ts': readmeExample() })),
    tsc(consumerProject({ 'misuse.ts': BAD })),
  ]);
  assert.equal(good.code, 0, good.output);
  assert.notEqual(bad.code, 0);
  assert.match(bad.output, /misuse\.ts\(3,\d+\): error TS2322: Type '"fastest"' is not assignable/);
});

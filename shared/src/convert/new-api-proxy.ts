// new-api-proxy's backends.json -> portico.yaml (SPEC §1 `convert`).
//
//   {"services": {SERVICE: {"models" | "model": {MODEL: {"backends": [{id, name, url, weight, api_key, auth_mode}]}}}}}
//
// Each SERVICE/MODEL group becomes an ip-hash cluster (new-api-proxy kept each client IP on one
// backend; weights kept) and a route `prefix: /SERVICE/MODEL` with `stripPrefix`, as the tool sent
// /SERVICE/MODEL/v1/x to BACKEND/v1/x. `api_key` + `auth_mode` become the endpoint's `auth`; the
// gateway key is ${BACKEND_API_KEY}; the health check is GET /v1/models, the request the tool probed.
//
// Backend keys are never copied into the output: each distinct api_key becomes a ${VAR} reference,
// and the header comment says which variable holds which backend's key. The output is meant to be
// committed next to the rest of a deployment; backends.json's keys in it would be a leaked secret.
import type { PathSegment } from '../config/problems.js';
import { ConvertError, at, describe, expectRecord } from './errors.js';
import { NameAllocator, encodePath, literal, toEnvName, toName } from './names.js';
import { renderYaml, type Annotation } from './render.js';

const GATEWAY_KEY_VAR = 'BACKEND_API_KEY';
const BACKEND_FIELDS = ['id', 'name', 'url', 'weight', 'api_key', 'auth_mode'];
const HEADER_TEXT = { authorization: 'Authorization: Bearer', 'x-api-key': 'X-API-Key' } as const;
type AuthHeader = keyof typeof HEADER_TEXT;

interface KeyVariable {
  name: string;
  /** Who uses it, for the header comment: `google/gemma "backend-1" (Authorization: Bearer)`. */
  users: string[];
}

export function convertNewApiProxy(text: string, source = 'backends.json'): string {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new ConvertError('INVALID_SYNTAX', `${source}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  const shape = '{"services": {SERVICE: {"models": {MODEL: {"backends": [...]}}}}}';
  const root = expectRecord(source, [], input, `an object ${shape}`);
  if (root.services === undefined) throw new ConvertError('WRONG_SHAPE', `${source}: (top level): needs "services": ${shape}`);
  const services = expectRecord(source, ['services'], root.services, 'an object of services');

  const notes: string[] = [];
  const ignored = (value: Record<string, unknown>, known: readonly string[], path: readonly PathSegment[]) => {
    for (const key of Object.keys(value)) if (!known.includes(key)) notes.push(`${at([...path, key])}: unknown field, ignored (new-api-proxy ignored it too)`);
  };
  ignored(root, ['services'], []);

  const clusterNames = new NameAllocator();
  const routeNames = new NameAllocator();
  const envNames = new NameAllocator([GATEWAY_KEY_VAR], '_');
  const keyVars = new Map<string, KeyVariable>();
  const clusters: Array<Record<string, unknown>> = [];
  const routes: Array<Record<string, unknown>> = [];
  const annotations: Annotation[] = [];

  for (const [service, serviceValue] of Object.entries(services)) {
    const servicePath = ['services', service];
    const svc = expectRecord(source, servicePath, serviceValue, 'an object with "models"');
    if (svc.models !== undefined && svc.model !== undefined) {
      throw new ConvertError('WRONG_SHAPE', `${source}: ${at(servicePath)}: has both "models" and "model"; new-api-proxy reads only one of them`);
    }
    const spelling = svc.models !== undefined ? 'models' : 'model';
    if (svc[spelling] === undefined) throw new ConvertError('WRONG_SHAPE', `${source}: ${at(servicePath)}: needs "models" (or "model"): {MODEL: {"backends": [...]}}`);
    ignored(svc, ['models', 'model'], servicePath);
    const models = expectRecord(source, [...servicePath, spelling], svc[spelling], 'an object of models');

    for (const [model, groupValue] of Object.entries(models)) {
      const groupPath = [...servicePath, spelling, model];
      const group = expectRecord(source, groupPath, groupValue, 'an object with "backends"');
      if (!Array.isArray(group.backends)) {
        throw new ConvertError('WRONG_SHAPE', `${source}: ${at([...groupPath, 'backends'])}: must be a list of backends (got ${describe(group.backends)})`);
      }
      ignored(group, ['backends'], groupPath);
      const label = `${service}/${model}`;
      if (service === '' || model === '' || service.includes('/') || model.includes('/')) {
        notes.push(`${label}: new-api-proxy routed /{service}/{model}/... by path segment, so an empty name or one containing "/" was never reachable`);
        continue;
      }
      if (group.backends.length === 0) {
        notes.push(`${label}: no backends (new-api-proxy answered 404 for it; Portico answers 404 no_route)`);
        continue;
      }

      const ci = clusters.length;
      const clusterName = clusterNames.take(toName(`${service}-${model}`, 'group'));
      const endpointNames = new NameAllocator();
      const seenUrls = new Map<string, string>();
      const endpoints: Array<Record<string, unknown>> = [];

      group.backends.forEach((backendValue, i) => {
        const path = [...groupPath, 'backends', i];
        const b = expectRecord(source, path, backendValue, `a backend {${BACKEND_FIELDS.join(', ')}}`);
        ignored(b, BACKEND_FIELDS, path);
        const url = backendUrl(source, [...path, 'url'], b.url);
        const id = optionalString(source, [...path, 'id'], b.id);
        const name = optionalString(source, [...path, 'name'], b.name);
        const who = `${label} ${JSON.stringify(id ?? name ?? url)}`;
        const href = new URL(url).href;
        const earlier = seenUrls.get(href);
        if (earlier !== undefined) {
          notes.push(`${who}: dropped: same url as ${earlier}, and a Portico cluster lists each URL once (give the backend its own cluster or host name to keep both keys)`);
          return;
        }
        seenUrls.set(href, JSON.stringify(id ?? name ?? url));

        const ei = endpoints.length;
        const endpoint: Record<string, unknown> = { url, name: endpointNames.take(toName(id ?? name ?? new URL(url).host, `backend-${i + 1}`)) };
        const epPath = ['clusters', ci, 'endpoints', ei];
        const before: string[] = [];
        if (name !== undefined && name !== id) before.push(`${name}`);

        const weight = backendWeight(source, [...path, 'weight'], b.weight);
        if (weight !== undefined) {
          endpoint.weight = weight.value;
          if (weight.note) annotations.push({ path: [...epPath, 'weight'], after: weight.note });
        }

        const apiKey = optionalString(source, [...path, 'api_key'], b.api_key);
        const mode = authMode(source, [...path, 'auth_mode'], b.auth_mode);
        if (apiKey !== undefined && apiKey !== '') {
          let variable = keyVars.get(apiKey);
          if (variable === undefined) {
            variable = { name: envNames.take(toEnvName(id ?? name ?? `${service}_${model}_${i + 1}`), '_API_KEY'), users: [] };
            keyVars.set(apiKey, variable);
          }
          const header: AuthHeader = mode ?? 'authorization';
          variable.users.push(`${who} (${HEADER_TEXT[header]})`);
          endpoint.auth = { key: `\${${variable.name}}`, header };
          annotations.push({ path: [...epPath, 'auth'], flow: true });
          if (mode === undefined) annotations.push({ path: [...epPath, 'auth'], after: 'auth_mode was not set: new-api-proxy used BACKEND_AUTH_MODE (default Authorization)' });
        } else {
          before.push(
            'No api_key: new-api-proxy sent the gateway key (BACKEND_API_KEY, in BACKEND_AUTH_MODE) to this backend.',
            'Portico never forwards the gateway key. If the backend needs that key, add:',
            `  auth: { key: "\${${GATEWAY_KEY_VAR}}", header: ${mode ?? 'authorization'} }`,
          );
        }
        if (before.length > 0) annotations.push({ path: epPath, before });
        endpoints.push(endpoint);
      });

      clusters.push({ name: clusterName, balancer: 'ip-hash', timeout: '5m', endpoints });
      const ri = routes.length;
      const prefix = literal(`/${encodePath(service)}/${encodePath(model)}`, source, at(groupPath));
      routes.push({ name: routeNames.take(clusterName), match: { prefix }, cluster: clusterName, rewrite: { stripPrefix: true } });
      annotations.push({ path: ['routes', ri, 'match'], flow: true }, { path: ['routes', ri, 'rewrite'], flow: true });
    }
  }
  if (routes.length === 0) {
    throw new ConvertError('NOTHING_TO_CONVERT', `${source}: no service/model group with backends to convert${notes.length > 0 ? `:\n  ${notes.join('\n  ')}` : ''}`);
  }

  const config = {
    auth: { keys: [`\${${GATEWAY_KEY_VAR}}`] },
    healthCheck: { path: '/v1/models', method: 'GET' },
    clusters,
    routes,
  };
  annotations.push(
    { path: ['auth', 'keys'], flow: true },
    { path: ['auth'], before: ['Clients send BACKEND_API_KEY as "Authorization: Bearer <key>" or "X-API-Key: <key>", as before;', 'Portico removes it before forwarding.'] },
    { path: ['healthCheck'], before: ['new-api-proxy probed GET /v1/models on every backend.'] },
  );
  return renderYaml(header(keyVars, notes), config, annotations);
}

function header(keyVars: ReadonlyMap<string, KeyVariable>, notes: readonly string[]): string[] {
  const vars = [...keyVars.values()];
  const width = Math.max(GATEWAY_KEY_VAR.length, ...vars.map((v) => v.name.length)) + 2;
  const lines = [
    'Converted from new-api-proxy backends.json by `portico convert --from new-api-proxy`.',
    'Check it with `portico validate -c FILE`; run it with `portico all -c FILE`.',
    '',
    'Environment variables (an unset one is a configuration error; it never turns auth off):',
    `  ${GATEWAY_KEY_VAR.padEnd(width)}the gateway key clients send, as with new-api-proxy`,
  ];
  for (const v of vars) {
    v.users.forEach((user, i) => lines.push(`  ${(i === 0 ? v.name : '').padEnd(width)}${i === 0 ? 'api_key of ' : '  and of '}${user}`));
  }
  if (vars.length > 0) {
    lines.push(
      'Backend keys are ${VAR} references, not copies: this file is meant to be committed, and the keys',
      'of backends.json written into it would be secrets in plain text. Set each variable to the',
      'api_key of the backend named next to it (backends sharing one key share one variable).',
    );
  }
  lines.push(
    '',
    'Health checks: Portico probes GET /v1/models with each backend\'s own key, as requests get it.',
    'Clusters wait up to 5m for response headers',
    '(timeout), as new-api-proxy waited 300 s; Portico\'s default is 30s.',
    '',
    'Behaviours of new-api-proxy deliberately not copied:',
    '  - Query strings: new-api-proxy dropped them (it sent only the path upstream); Portico forwards them.',
    '  - The gateway key upstream: new-api-proxy sent BACKEND_API_KEY to backends without an api_key and',
    '    in every health probe; Portico never forwards the gateway key.',
    '  - Unhealthy backends in use: when no backend of a group was healthy, new-api-proxy used them',
    '    anyway; Portico skips unhealthy endpoints and answers 503 no_healthy_upstream.',
    '  - A second probe, POST /v1/chat/completions (a billed 1-token completion), when /v1/models',
    '    failed; Portico probes only GET /v1/models.',
    '  - Sticky IPs from a table filled round-robin, lost on restart, ignoring weights; Portico hashes',
    '    the client IP onto a ring (weights set each backend\'s share; the same IP keeps its backend',
    '    while it is healthy). Behind a reverse proxy, set gateway.trustProxy so the client IP is',
    '    read from X-Forwarded-For (new-api-proxy saw only the proxy\'s address).',
    '  - Redirects from backends were followed; Portico returns them to the client.',
    '  - CORS for any origin with credentials; Portico adds no CORS headers unless gateway.cors is set.',
    '  - An empty BACKEND_API_KEY turned client auth off; remove the `auth` section for that instead.',
    '  - Accept-Encoding forced to identity; Portico forwards the client\'s.',
    '  - The dashboard (/), /api/health/status and /api/config/reload; Portico has its own status',
    '    endpoints and admin API, and reloads this file when it changes.',
  );
  if (notes.length > 0) lines.push('', 'Not converted:', ...notes.map((n) => `  - ${n}`));
  return lines;
}

function optionalString(source: string, path: readonly PathSegment[], value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be a string (got ${describe(value)})`);
}

function backendUrl(source: string, path: readonly PathSegment[], value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be the backend's URL (got ${describe(value)})`);
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be an http(s) URL (got ${describe(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be an http(s) URL (got ${describe(value)})`);
  if (url.username || url.password) throw new ConvertError('UNREPRESENTABLE', `${source}: ${at(path)}: a URL with credentials cannot be an endpoint; use api_key`);
  if (url.search || url.hash) throw new ConvertError('UNREPRESENTABLE', `${source}: ${at(path)}: a URL with a query or fragment cannot be an endpoint`);
  return literal(text, source, at(path));
}

function backendWeight(source: string, path: readonly PathSegment[], value: unknown): { value: number; note?: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be a number (got ${describe(value)})`);
  const weight = Math.min(1000, Math.max(1, Math.round(value)));
  return weight === value ? { value: weight } : { value: weight, note: `weight ${value} in backends.json; Portico weights are whole numbers from 1 to 1000` };
}

function authMode(source: string, path: readonly PathSegment[], value: unknown): AuthHeader | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // new-api-proxy compared case-insensitively, and sent no key at all for any other value.
  const mode = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (mode === 'authorization' || mode === 'x-api-key') return mode;
  throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be "Authorization" or "x-api-key" (got ${describe(value)})`);
}

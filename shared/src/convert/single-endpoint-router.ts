// single-endpoint-router's config.yaml -> portico.yaml (SPEC §1 `convert`).
//
//   "http://backend:3000":              # one top-level key per backend, in the order they are tried
//     cache_timeout: 6000               # seconds
//     endpoints:
//       "/get_log_files":
//         payload: [{name: log_file.log, path: "c:/logs"}, ...]
//
// Each payload list becomes a route (`path` exact, `payload`, methods POST/PUT/PATCH) to a
// one-endpoint cluster for its backend; then a catch-all route sends everything else to a
// first-success cluster of all backends in file order. The largest cache_timeout becomes
// routeCache.ttl. An endpoint listed without payloads matched any request to that path in the old
// tool (any method, any body), so it becomes a path-only route.
import { parseDocument, type Tags } from 'yaml';
import type { PathSegment } from '../config/problems.js';
import { formatDuration } from '../config/units.js';
import { ConvertError, at, describe, expectRecord, isRecord } from './errors.js';
import { NameAllocator, encodePath, literal, toName } from './names.js';
import { renderYaml, type Annotation } from './render.js';

const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

// PyYAML's booleans: YAML 1.1's without the single letters y/Y/n/N, which PyYAML reads as strings.
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const pyyamlBooleans = (tags: Tags): Tags => tags.map((tag) => (
  typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:bool' && 'test' in tag && tag.test !== undefined
    ? { ...tag, test: tag.identify?.(true) ? PYYAML_TRUE : PYYAML_FALSE }
    : tag
));

interface Backend {
  url: string;
  cluster: string;
}

export function convertSingleEndpointRouter(text: string, source = 'config.yaml'): string {
  // The tool read its file with PyYAML (YAML 1.1): `yes`/`no`/`on`/`off` are booleans there.
  const doc = parseDocument(text, { version: '1.1', customTags: pyyamlBooleans, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConvertError('INVALID_SYNTAX', `${source}: invalid YAML: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
  }
  const input: unknown = doc.toJS({ maxAliasCount: 1000 });
  const shape = 'one top-level key per backend URL: {"http://host:port": {cache_timeout: SECONDS, endpoints: {PATH: {payload: [...]}}}}';
  const root = expectRecord(source, [], input, shape);
  if (Object.keys(root).length === 0) throw new ConvertError('NOTHING_TO_CONVERT', `${source}: no backends (expected ${shape})`);

  const notes: string[] = [];
  const names = new NameAllocator();
  const routeNames = new NameAllocator();
  const backends: Backend[] = [];
  const seenUrls = new Map<string, string>();
  const clusters: Array<Record<string, unknown>> = [];
  const routes: Array<Record<string, unknown>> = [];
  const annotations: Annotation[] = [];
  let ttlSeconds = 0;
  // Per path: payloads an earlier backend already claims, and whether one took every request.
  const claimed = new Map<string, { payloads: Set<string>; any: string | undefined }>();

  for (const [url, confValue] of Object.entries(root)) {
    const path: PathSegment[] = [url];
    const backendUrl = checkUrl(source, path, url);
    const href = new URL(backendUrl).href;
    const earlier = seenUrls.get(href);
    if (earlier !== undefined) throw new ConvertError('UNREPRESENTABLE', `${source}: "${url}" is the same backend as "${earlier}"; list it once`);
    seenUrls.set(href, url);
    const conf = confValue === null ? {} : expectRecord(source, path, confValue, 'an object with cache_timeout and endpoints');
    for (const key of Object.keys(conf)) if (key !== 'cache_timeout' && key !== 'endpoints') notes.push(`${at([...path, key])}: unknown field, ignored (single-endpoint-router ignored it too)`);

    const timeout = conf.cache_timeout;
    if (timeout !== undefined && timeout !== null) {
      if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
        throw new ConvertError('WRONG_SHAPE', `${source}: ${at([...path, 'cache_timeout'])}: must be a number of seconds (got ${describe(timeout)})`);
      }
      ttlSeconds = Math.max(ttlSeconds, timeout);
    }

    const u = new URL(backendUrl);
    const cluster = names.take(toName(`${u.hostname}-${u.port || (u.protocol === 'https:' ? '443' : '80')}${u.pathname === '/' ? '' : u.pathname}`, 'backend'));
    backends.push({ url: backendUrl, cluster });
    let used = false;

    const endpoints = conf.endpoints === undefined || conf.endpoints === null ? {} : expectRecord(source, [...path, 'endpoints'], conf.endpoints, 'an object {PATH: {payload: [...]}}');
    for (const [endpointPath, endpointValue] of Object.entries(endpoints)) {
      const epPath = [...path, 'endpoints', endpointPath];
      const endpointConf = endpointValue === null ? {} : expectRecord(source, epPath, endpointValue, 'an object {payload: [...]}');
      for (const key of Object.keys(endpointConf)) if (key !== 'payload') notes.push(`${at([...epPath, key])}: unknown field, ignored (single-endpoint-router ignored it too)`);
      const rawPayloads = endpointConf.payload ?? [];
      if (!Array.isArray(rawPayloads)) throw new ConvertError('WRONG_SHAPE', `${source}: ${at([...epPath, 'payload'])}: must be a list of objects (got ${describe(rawPayloads)})`);
      if (!endpointPath.startsWith('/') || /[?#]/.test(endpointPath)) {
        notes.push(`${at(epPath)}: the tool compared it with the request path, which starts with "/" and has no query, so it never matched`);
        continue;
      }
      const matchPath = literal(encodePath(endpointPath), source, at(epPath));
      const claims = claimed.get(matchPath) ?? { payloads: new Set<string>(), any: undefined };
      claimed.set(matchPath, claims);
      if (claims.any !== undefined) {
        notes.push(`${at(epPath)}: ${claims.any} lists ${endpointPath} without payloads, so it took every request to that path first`);
        continue;
      }

      const payloads: Array<Record<string, unknown>> = [];
      rawPayloads.forEach((p, i) => {
        const payload = expectRecord(source, [...epPath, 'payload', i], p, 'a JSON object');
        const json = jsonValue(payload);
        if (json === undefined) {
          notes.push(`${at([...epPath, 'payload', i])}: holds a value JSON has no type for (such as an unquoted date), so no JSON body ever equalled it`);
          return;
        }
        checkLiterals(source, [...epPath, 'payload', i], payload);
        const canonical = canonicalJson(json);
        if (claims.payloads.has(canonical)) {
          if (!payloads.some((q) => canonicalJson(q) === canonical)) notes.push(`${at([...epPath, 'payload', i])}: an earlier backend lists the same payload for ${endpointPath} and always won`);
          return;
        }
        claims.payloads.add(canonical);
        payloads.push(json as Record<string, unknown>);
      });
      if (rawPayloads.length > 0 && payloads.length === 0) continue;

      const ri = routes.length;
      const name = routeNames.take(toName(`${cluster}${endpointPath}`, cluster));
      if (rawPayloads.length === 0) {
        // "If no payloads defined, treat as match for any payload": any method, any body.
        claims.any = JSON.stringify(url);
        routes.push({ name, match: { path: matchPath }, cluster });
        annotations.push({ path: ['routes', ri], before: [`${endpointPath} lists no payload: every request to it went to ${url}`] });
      } else {
        routes.push({ name, match: { path: matchPath, methods: BODY_METHODS, payload: payloads }, cluster });
      }
      annotations.push({ path: ['routes', ri, 'match'], flow: true });
      used = true;
    }
    if (used) clusters.push({ name: cluster, endpoints: [{ url: backendUrl }] });
  }

  const fallback = names.take('first-success');
  clusters.push({ name: fallback, balancer: 'first-success', endpoints: backends.map((b) => ({ url: b.url, name: b.cluster })) });
  const ci = clusters.length - 1;
  annotations.push({ path: ['clusters', ci], before: ['Everything no payload route takes: the first backend, in file order, that answers 2xx.'] });
  const fi = routes.length;
  routes.push({ name: routeNames.take('fallback'), match: { prefix: '/' }, cluster: fallback });
  annotations.push({ path: ['routes', fi, 'match'], flow: true });
  clusters.forEach((c, i) => {
    if (c.name !== fallback) annotations.push({ path: ['clusters', i, 'endpoints'], flow: true });
  });

  const config: Record<string, unknown> = {
    healthCheck: { path: '/', expectedStatus: '200-499' },
  };
  if (ttlSeconds > 0) config.routeCache = { ttl: formatDuration(Math.round(ttlSeconds * 1000)) };
  config.clusters = clusters;
  config.routes = routes;
  annotations.push({
    path: ['healthCheck'],
    before: [
      'single-endpoint-router had no health checks. Any answer below 500 to GET / counts as "up" here,',
      'so only a backend that is down or failing is skipped; point `path` at a real health endpoint',
      'if your backends have one.',
    ],
  });
  if (ttlSeconds > 0) annotations.push({ path: ['routeCache', 'ttl'], after: `the largest cache_timeout (${ttlSeconds} s)` });
  return renderYaml(header(ttlSeconds, notes), config, annotations);
}

function header(ttlSeconds: number, notes: readonly string[]): string[] {
  const lines = [
    'Converted from single-endpoint-router config.yaml by `portico convert --from single-endpoint-router`.',
    'Check it with `portico validate -c FILE`; run it with `portico all -c FILE`.',
    '',
    'Routing, as the tool documented it: a POST, PUT or PATCH whose JSON body equals a listed payload goes',
    'to the backend that lists it; everything else goes to the first backend (in file order) that answers',
    '2xx, and that choice is remembered per method, path, query and body for routeCache.ttl',
    ttlSeconds > 0 ? '(the largest cache_timeout).' : '(no cache_timeout was set: Portico\'s default, 10m).',
    'No client auth, as before: add `auth: { keys: ["${SOME_VAR}"] }` to require a key.',
    '',
    'Behaviours of single-endpoint-router deliberately not copied:',
    '  - Subset payload matching: a body matched when it had the listed keys and values, whatever else it',
    '    held (a listed {} matched every request); Portico needs the body to equal a listed object:',
    '    same keys, same values and types, no extra keys.',
    '  - Cache keys that ignored payload values: the tool remembered one backend per method, path and the',
    '    body\'s key names, so bodies with the same keys and other values shared a decision; Portico\'s key',
    '    holds the values too.',
    '  - Query strings: repeated parameters were collapsed to one value and the cache key ignored the',
    '    query; Portico forwards the query as sent and keys its cache on it.',
    '  - Payload matching for POST only (PUT and PATCH were documented but never matched); Portico matches',
    '    POST, PUT and PATCH.',
    '  - Success meant exactly 200 (a 201 or 204 moved on to the next backend); Portico takes any 2xx.',
    '  - When no backend answered 200 the client got an empty 404, and a backend refusing connections',
    '    failed the whole request with 500; Portico moves on to the next backend and, when none answers',
    '    2xx, returns the last response (502 if none could be reached).',
    '  - Decisions never expired (cache_timeout was unused) and lived in a cache.db beside the script;',
    '    Portico keeps them for routeCache.ttl, in memory or in Redis when `redis` is set.',
    '  - Bodies of GET, DELETE and other methods were dropped; Portico forwards them.',
  ];
  if (notes.length > 0) lines.push('', 'Not converted:', ...notes.map((n) => `  - ${n}`));
  return lines;
}

function checkUrl(source: string, path: readonly PathSegment[], text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: top-level keys must be backend URLs such as "http://127.0.0.1:3000" (got ${describe(text)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be an http(s) URL`);
  if (url.username || url.password) throw new ConvertError('UNREPRESENTABLE', `${source}: ${at(path)}: a URL with credentials cannot be an endpoint`);
  if (url.search || url.hash) throw new ConvertError('UNREPRESENTABLE', `${source}: ${at(path)}: a URL with a query or fragment cannot be an endpoint`);
  return literal(text.trim().replace(/\/+$/, ''), source, at(path));
}

/** The value as plain JSON data, or undefined when part of it has no JSON equivalent (dates, ...). */
function jsonValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items = value.map(jsonValue);
    return items.includes(undefined) ? undefined : items;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const item = jsonValue(v);
      if (item === undefined) return undefined;
      out[k] = item;
    }
    return out;
  }
  return undefined;
}

function checkLiterals(source: string, path: readonly PathSegment[], value: unknown): void {
  if (typeof value === 'string') literal(value, source, at(path));
  else if (Array.isArray(value)) value.forEach((v, i) => checkLiterals(source, [...path, i], v));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) checkLiterals(source, [...path, k], v);
}

/** Keys sorted at every level: the data plane's comparison (data-plane/src/routing/payload.ts). */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

// Checks that span several fields (names that must exist or be unique), then the defaults that
// depend on other fields (endpoint and route names). Runs after the schema accepted the shape.
import { resolve } from 'node:path';
import type { Config, RouteConfig } from './schema.js';
import type { ConfigProblem } from './problems.js';

export function checkSemantics(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const clusterNames = new Set<string>();
  config.clusters.forEach((cluster, ci) => {
    if (clusterNames.has(cluster.name)) problems.push({ path: `clusters[${ci}].name`, message: `duplicate cluster name "${cluster.name}"` });
    clusterNames.add(cluster.name);
    const urls = new Set<string>();
    const names = new Set<string>();
    cluster.endpoints.forEach((endpoint, ei) => {
      const url = new URL(endpoint.url).href;
      if (urls.has(url)) problems.push({ path: `clusters[${ci}].endpoints[${ei}].url`, message: `duplicate endpoint URL ${endpoint.url} in cluster "${cluster.name}"` });
      urls.add(url);
      const endpointName = endpoint.name ?? defaultEndpointName(endpoint.url);
      if (names.has(endpointName)) problems.push({ path: `clusters[${ci}].endpoints[${ei}].name`, message: `duplicate endpoint name "${endpointName}" in cluster "${cluster.name}"` });
      names.add(endpointName);
    });
  });

  const routeNames = new Set<string>();
  const matchers = new Map<string, number>();
  config.routes.forEach((route, ri) => {
    const at = `routes[${ri}]`;
    if (route.name !== undefined) {
      if (routeNames.has(route.name)) problems.push({ path: `${at}.name`, message: `duplicate route name "${route.name}"` });
      routeNames.add(route.name);
    }
    const kinds = [route.match.prefix, route.match.path, route.match.regex].filter((k) => k !== undefined).length;
    if (kinds !== 1) problems.push({ path: `${at}.match`, message: 'must have exactly one of prefix, path or regex' });
    if ((route.cluster === undefined) === (route.static === undefined)) {
      problems.push({ path: at, message: 'must have exactly one of cluster or static' });
    } else if (route.cluster !== undefined && !clusterNames.has(route.cluster)) {
      problems.push({ path: `${at}.cluster`, message: `unknown cluster "${route.cluster}"` });
    }
    const rw = route.rewrite;
    if (rw) {
      if (rw.stripPrefix && route.match.prefix === undefined) problems.push({ path: `${at}.rewrite.stripPrefix`, message: 'needs match.prefix' });
      if ((rw.regex === undefined) !== (rw.replacement === undefined)) problems.push({ path: `${at}.rewrite`, message: 'regex and replacement go together' });
      if (rw.stripPrefix && rw.regex !== undefined) problems.push({ path: `${at}.rewrite`, message: 'use either stripPrefix or regex, not both' });
    }
    if (route.static && (route.match.payload || route.request.body !== undefined)) {
      problems.push({ path: at, message: 'static routes take no payload matcher or request body' });
    }
    const key = matcherKey(route);
    const earlier = matchers.get(key);
    if (earlier !== undefined) problems.push({ path: `${at}.match`, message: `same matcher as routes[${earlier}]` });
    else matchers.set(key, ri);
  });
  return problems;
}

/** Routes an earlier route always wins over: valid, but `validate` warns about them. */
export function findUnreachableRoutes(config: Config): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  config.routes.forEach((route, j) => {
    for (let i = 0; i < j; i++) {
      const earlier = config.routes[i]!;
      if (earlier.match.methods || earlier.match.headers || earlier.match.payload) continue;
      if (covers(earlier, route)) {
        warnings.push({ path: `routes[${j}]`, message: `can never match: routes[${i}] (${earlier.name}) matches every request it would` });
        break;
      }
    }
  });
  return warnings;
}

function covers(earlier: RouteConfig, later: RouteConfig): boolean {
  const p = earlier.match.prefix;
  const target = later.match.prefix ?? later.match.path;
  if (p !== undefined && target !== undefined) return segmentPrefix(p, target);
  const e = earlier.match.path;
  return e !== undefined && later.match.path === e;
}

export function segmentPrefix(prefix: string, path: string): boolean {
  if (prefix === '/' || prefix === path) return true;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path.startsWith(p) && (path.length === p.length || path.charCodeAt(p.length) === 47 /* / */);
}

function matcherKey(route: RouteConfig): string {
  const m = route.match;
  return JSON.stringify([m.prefix, m.path, m.regex, m.methods?.slice().sort(), m.headers, m.payload]);
}

export function defaultEndpointName(url: string): string {
  return new URL(url).host;
}

/** Fills defaults that depend on other fields; returns a new object. */
export function normalize(config: Config, baseDir: string): Config {
  return {
    ...config,
    clusters: config.clusters.map((c) => ({
      ...c,
      endpoints: c.endpoints.map((e) => ({ ...e, name: e.name ?? defaultEndpointName(e.url) })),
    })),
    routes: config.routes.map((r, i) => ({
      ...r,
      name: r.name ?? `route-${i}`,
      static: r.static ? { ...r.static, root: resolve(baseDir, r.static.root) } : undefined,
    })),
  };
}

// Prefixed services (SPEC §2 `response.rewriteLocation`, `response.openapi`): an app mounted at
// /svc upstream as / redirects to /login and documents its API at /; both are mapped back
// under /svc so browsers and Swagger UI stay behind the gateway.

/**
 * Maps an upstream Location back under the route prefix. Absolute URLs are rewritten only when
 * they point at the endpoint itself; other hosts' URLs pass unchanged.
 */
export function rewriteLocation(location: string, prefix: string, endpointOrigin: string, basePath: string): string {
  let path: string;
  if (location.startsWith('/') && !location.startsWith('//')) {
    path = location;
  } else {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return location; // a relative reference resolves correctly on its own
    }
    if (url.origin !== endpointOrigin) return location;
    path = url.pathname + url.search + url.hash;
  }
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`) || path.startsWith(`${basePath}?`))) {
    path = path.slice(basePath.length) || '/';
  }
  const p = prefix.replace(/\/+$/, '');
  if (path === `${p}` || path.startsWith(`${p}/`)) return path; // already under the prefix
  return p + (path.startsWith('/') ? path : `/${path}`);
}

/**
 * An OpenAPI 3 document gets `servers: [{url: prefix}]` (keeping any path the upstream's own
 * server URL had); a Swagger 2 document gets `basePath` under the prefix. Path keys stay as they
 * are, since they are relative to the server. Returns undefined when the body is not such a
 * document (it is then sent unchanged).
 */
export function rewriteOpenApi(body: Buffer, prefix: string): Buffer | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  const p = prefix.replace(/\/+$/, '');
  if (typeof d.openapi === 'string') {
    const servers = Array.isArray(d.servers) ? (d.servers as Array<{ url?: unknown }>) : [];
    const rewritten = servers
      .filter((s) => typeof s?.url === 'string')
      .map((s) => ({ ...s, url: underPrefix(serverPath(s.url as string), p) }));
    d.servers = rewritten.length > 0 ? rewritten : [{ url: p || '/' }];
  } else if (typeof d.swagger === 'string') {
    d.basePath = underPrefix(typeof d.basePath === 'string' ? d.basePath : '/', p);
    delete d.host;
  } else {
    return undefined;
  }
  return Buffer.from(JSON.stringify(d));
}

function serverPath(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

function underPrefix(path: string, prefix: string): string {
  if (path === prefix || path.startsWith(`${prefix}/`)) return path;
  const rest = path === '/' ? '' : path.replace(/\/+$/, '');
  return (prefix + rest) || '/';
}

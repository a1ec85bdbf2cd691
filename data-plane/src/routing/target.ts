// The request target as the client sent it -> a normalised origin-form path and query. The client
// never chooses the upstream: absolute-form targets keep only their path, and dot segments
// (also percent-encoded ones) cannot climb out of a route prefix.

export interface Target {
  path: string;
  /** Without the "?"; empty when there is none. */
  query: string;
}

const NEEDS_NORMALISING = /\/\.|%2e|\/\/|\\/i;

export function parseTarget(raw: string): Target | undefined {
  let target = raw;
  if (target.charCodeAt(0) !== 47 /* / */) {
    // absolute-form (RFC 9112 §3.2.2): the authority is ignored, only the path is used.
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
    if (!m) return undefined;
    target = target.slice(m[0].length) || '/';
    if (target.charCodeAt(0) === 63 /* ? */) target = `/${target}`;
  }
  const q = target.indexOf('?');
  let path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  const hash = path.indexOf('#');
  if (hash !== -1) path = path.slice(0, hash);
  if (NEEDS_NORMALISING.test(path)) path = normalisePath(path);
  return { path, query };
}

/** RFC 3986 §5.2.4 dot-segment removal, with %2e decoded and "\" and "//" folded to "/". */
export function normalisePath(path: string): string {
  const decoded = path.replace(/%2e/gi, '.').replace(/\\/g, '/');
  const out: string[] = [];
  const segments = decoded.split('/');
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === '..') out.pop();
    else if (seg !== '.' && !(seg === '' && i < segments.length - 1)) out.push(seg);
  }
  const last = segments[segments.length - 1];
  if ((last === '.' || last === '..') && out[out.length - 1] !== '') out.push('');
  return `/${out.join('/')}`;
}

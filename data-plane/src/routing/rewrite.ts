// Path rewrites (SPEC §2 `rewrite`). The result is always origin-form: one leading "/".
import type { SnapshotRoute } from '../../../shared/src/snapshot/types.js';

export type Rewriter = (path: string) => string;

const identity: Rewriter = (path) => path;

export function compileRewrite(route: SnapshotRoute): Rewriter {
  const rw = route.rewrite;
  if (!rw) return identity;
  if (rw.stripPrefix && route.match?.kind === 'prefix') {
    const prefix = route.match.prefix!.replace(/\/+$/, '');
    return (path) => originForm(path.slice(prefix.length));
  }
  if (rw.regex) {
    const re = new RegExp(rw.regex);
    const replacement = rw.replacement;
    return (path) => originForm(path.replace(re, replacement));
  }
  return identity;
}

function originForm(path: string): string {
  if (path.length === 0) return '/';
  if (path.charCodeAt(0) !== 47 /* / */) return `/${path}`;
  // "//host/x" would read as a network-path reference to some upstreams.
  return path.charCodeAt(1) === 47 ? path.replace(/^\/+/, '/') : path;
}

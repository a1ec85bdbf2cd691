// One compiled matcher per route; the route table tries them in order, first match wins.
import type { IncomingHttpHeaders } from 'node:http';
import { segmentPrefix } from '../../../shared/src/config/index.js';
import type { SnapshotRoute } from '../../../shared/src/snapshot/types.js';

export interface RouteMatcher {
  /** The prefix a stripPrefix rewrite removes; undefined for path/regex matchers. */
  readonly prefix: string | undefined;
  matches(method: string, path: string, headers: IncomingHttpHeaders): boolean;
}

export function compileMatcher(route: SnapshotRoute): RouteMatcher {
  const m = route.match!;
  const prefix = m.kind === 'prefix' ? m.prefix! : undefined;
  const exact = m.kind === 'path' ? m.path! : undefined;
  const regex = m.kind === 'regex' ? new RegExp(m.regex!) : undefined;
  const methods = m.methods.length > 0 ? new Set(m.methods) : undefined;
  const headerPairs = Object.entries(m.headers);
  return {
    prefix,
    matches(method, path, headers) {
      if (methods !== undefined && !methods.has(method)) return false;
      if (prefix !== undefined) {
        if (!segmentPrefix(prefix, path)) return false;
      } else if (exact !== undefined) {
        if (path !== exact) return false;
      } else if (!regex!.test(path)) {
        return false;
      }
      for (let i = 0; i < headerPairs.length; i++) {
        const [name, value] = headerPairs[i]!;
        if (headers[name] !== value) return false;
      }
      return true;
    },
  };
}

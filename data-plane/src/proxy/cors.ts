// CORS (SPEC §2 `cors`): preflights are answered by the gateway, without a key (browsers never
// send one); real responses get the allow headers when the Origin is allowed.
import type { SnapshotCors } from '../../../shared/src/snapshot/types.js';

export class CorsPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  readonly methods: string;
  readonly headers: string;
  readonly credentials: boolean;
  readonly maxAgeSeconds: string;

  constructor(c: SnapshotCors) {
    this.anyOrigin = c.origins.includes('*');
    this.origins = new Set(c.origins);
    this.methods = c.methods.join(', ');
    this.headers = c.headers.join(', ');
    this.credentials = c.credentials;
    this.maxAgeSeconds = String(Math.floor(c.maxAgeMs / 1000));
  }

  allows(origin: string): boolean {
    return this.anyOrigin || this.origins.has(origin);
  }

  /** Headers for an actual response to an allowed origin. */
  responseHeaders(origin: string): string[] {
    // "*" cannot be combined with credentials; echoing the origin works for both.
    const allowOrigin = this.anyOrigin && !this.credentials ? '*' : origin;
    const out = ['access-control-allow-origin', allowOrigin, 'vary', 'Origin'];
    if (this.credentials) out.push('access-control-allow-credentials', 'true');
    return out;
  }

  preflightHeaders(origin: string): Record<string, string> {
    const h: Record<string, string> = {
      'access-control-allow-origin': this.anyOrigin && !this.credentials ? '*' : origin,
      'access-control-allow-methods': this.methods,
      'access-control-allow-headers': this.headers,
      'access-control-max-age': this.maxAgeSeconds,
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    };
    if (this.credentials) h['access-control-allow-credentials'] = 'true';
    return h;
  }
}

export function isPreflight(method: string, headers: { origin?: string | undefined; 'access-control-request-method'?: string | string[] | undefined }): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && typeof headers['access-control-request-method'] === 'string';
}

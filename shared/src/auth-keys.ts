// Gateway keys (SPEC §3.4): accepted as "Authorization: Bearer <key>" or "X-API-Key: <key>",
// compared in constant time (digests of equal length, every key checked, no early exit).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export class KeySet {
  private readonly digests: Buffer[];
  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  has(presented: string): boolean {
    const d = digest(presented);
    let found = false;
    for (const k of this.digests) found = timingSafeEqual(k, d) || found;
    return found;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export interface PresentedKey {
  key: string;
  /** The header that carried it, removed before forwarding. */
  header: 'authorization' | 'x-api-key';
}

export function presentedKey(headers: IncomingHttpHeaders): PresentedKey | undefined {
  const auth = headers.authorization;
  if (auth !== undefined && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
    return { key: auth.slice(7).trim(), header: 'authorization' };
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { key: apiKey, header: 'x-api-key' };
  return undefined;
}

const STRIP_AUTHORIZATION: ReadonlySet<string> = new Set(['authorization']);
const STRIP_API_KEY: ReadonlySet<string> = new Set(['x-api-key']);

/** The answer for routes without keys: one object, not one per request. */
const OPEN = { ok: true, strip: undefined } as const;

/** undefined when the request may pass; otherwise why not. Also tells which header to strip. */
export function checkKey(keys: KeySet | undefined, headers: IncomingHttpHeaders): { ok: true; strip: ReadonlySet<string> | undefined } | { ok: false; message: string } {
  if (keys === undefined) return OPEN;
  const presented = presentedKey(headers);
  if (presented === undefined) return { ok: false, message: 'missing API key (Authorization: Bearer or X-API-Key)' };
  if (!keys.has(presented.key)) return { ok: false, message: 'invalid API key' };
  return { ok: true, strip: presented.header === 'authorization' ? STRIP_AUTHORIZATION : STRIP_API_KEY };
}

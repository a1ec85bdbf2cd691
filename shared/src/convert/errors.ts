// Why a file could not be converted. `portico convert` prints the message and exits 1; the message
// names the file and the field (in the old tool's own terms) so the user can find it.
import type { PathSegment } from '../config/problems.js';

export type ConvertErrorCode =
  | 'UNKNOWN_FORMAT'   // --from names no converter
  | 'UNREADABLE'       // the file cannot be read
  | 'INVALID_SYNTAX'   // not JSON / not YAML
  | 'WRONG_SHAPE'      // parsed, but not the old tool's configuration
  | 'UNREPRESENTABLE'  // valid for the old tool, but Portico cannot express it
  | 'NOTHING_TO_CONVERT';

export class ConvertError extends Error {
  readonly code: ConvertErrorCode;
  constructor(code: ConvertErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConvertError';
    this.code = code;
  }
}

/**
 * A place in the input, for messages: `services.google.models.gemma.backends[0].url`; keys that are
 * not plain words are quoted, as single-endpoint-router's URL and path keys always are:
 * `["http://127.0.0.1:3000"].endpoints["/get_log_files"]`.
 */
export function at(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  return String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Throws WRONG_SHAPE unless `value` is a mapping. */
export function expectRecord(source: string, path: readonly PathSegment[], value: unknown, what: string): Record<string, unknown> {
  if (isRecord(value)) return value;
  throw new ConvertError('WRONG_SHAPE', `${source}: ${at(path)}: must be ${what} (got ${describe(value)})`);
}

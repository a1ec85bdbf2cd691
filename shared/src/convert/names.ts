// Names and text the converters emit: Portico names (letters, digits, ".", "_", "-", starting with
// a letter or digit — the schema's rule), environment variable names, request paths in the form
// the data plane matches (raw, percent-encoded), and strings that must stay literal.
import { ConvertError } from './errors.js';

/** `google/Gemma 4:26b` -> `google-Gemma-4-26b`; `fallback` when nothing usable is left. */
export function toName(text: string, fallback: string): string {
  const name = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[-.]+$/, '');
  return name === '' ? fallback : name;
}

/** `backend-1` -> `BACKEND_1`; never starts with a digit. */
export function toEnvName(text: string): string {
  const name = text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '') return 'BACKEND';
  return /^[0-9]/.test(name) ? `KEY_${name}` : name;
}

/** Hands out unique names: `a`, then `a-2`, `a-3`, ... (`separator` between the base and the number). */
export class NameAllocator {
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = [], private readonly separator = '-') {
    for (const name of reserved) this.used.add(name);
  }

  take(base: string, suffix = ''): string {
    let name = `${base}${suffix}`;
    for (let n = 2; this.used.has(name); n++) name = `${base}${this.separator}${n}${suffix}`;
    this.used.add(name);
    return name;
  }
}

/**
 * A decoded path as the data plane sees it on the wire. Both old tools were FastAPI apps that
 * matched the *decoded* path, while Portico matches the raw request target: `/get logs` must be
 * written `/get%20logs`. Characters RFC 3986 allows raw in a path segment stay as they are.
 */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%(3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))))
    .join('/');
}

// The loader's ${VAR} syntax (shared/src/config/interpolate.ts); it has no escape for a literal "${".
const ENV_REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;

/** `text` unchanged; throws when Portico would read part of it as an environment variable. */
export function literal(text: string, source: string, where: string): string {
  const m = ENV_REFERENCE.exec(text);
  if (m) {
    throw new ConvertError('UNREPRESENTABLE', `${source}: ${where}: "${m[0]}" would be read by Portico as an environment variable reference, and Portico's configuration has no escape for a literal "\${"`);
  }
  return text;
}

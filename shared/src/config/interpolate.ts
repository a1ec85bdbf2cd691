// `${VAR}` and `${VAR:-default}` are replaced in string values after YAML parsing, so a value can
// never inject YAML structure (a key containing ": " or "#" stays one string). An unset variable
// without a default is an error: a missing key must never silently turn auth off. `$${` is a
// literal `${` (Docker Compose's `$$`), for values that must contain one.
import { formatPath, type ConfigProblem, type PathSegment } from './problems.js';

const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REF = /^\$\{[^}]+\}$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

export function interpolate(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  path: PathSegment[] = [],
  ancestors: Set<object> = new Set(),
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, problems, path);
  if (value === null || typeof value !== 'object') return value;
  // A YAML alias inside its own anchor (`&a [*a]`) becomes a circular object: report it instead
  // of recursing until the stack overflows.
  if (ancestors.has(value)) {
    problems.push({ path: formatPath(path), message: 'refers to itself through a YAML alias' });
    return null;
  }
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item, i) => interpolate(item, env, problems, [...path, i], ancestors));
  } else {
    const obj: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) obj[key] = interpolate(item, env, problems, [...path, key], ancestors);
    out = obj;
  }
  ancestors.delete(value);
  return out;
}

function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  path: PathSegment[],
): unknown {
  if (!text.includes('${')) return text;
  const replaced = text.replace(REF, (_whole, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return '${'; // the escape `$${`
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    problems.push({ path: formatPath(path), message: `environment variable ${name} is not set and has no default` });
    return '';
  });
  // `port: ${PORT}` should behave as if the number had been written in the file.
  if (WHOLE_REF.test(text)) {
    if (NUMBER.test(replaced)) return Number(replaced);
    if (replaced === 'true' || replaced === 'false') return replaced === 'true';
  }
  return replaced;
}

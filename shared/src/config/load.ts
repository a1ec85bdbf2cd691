// Configuration at the edge: read, parse YAML, interpolate ${VAR}, validate, normalise. Nothing
// deeper in Portico reads files or process.env for configuration.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { interpolate } from './interpolate.js';
import { formatPath, formatProblem, type ConfigProblem } from './problems.js';
import { configSchema, type Config } from './schema.js';
import { checkSemantics, findUnreachableRoutes, normalize } from './semantics.js';

export interface LoadedConfig {
  config: Config;
  /** Content hash of the source text: changes exactly when the file does. */
  version: string;
  /** Problems that do not make the configuration invalid (e.g. routes that can never match). */
  warnings: ConfigProblem[];
  path: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[], file?: string) {
    super(`invalid configuration${file ? ` in ${file}` : ''}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfigFile(path: string, env: Readonly<Record<string, string | undefined>>): LoadedConfig {
  const file = resolve(path);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '', message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  return { ...parseConfig(source, env, dirname(file)), path: file };
}

export function parseConfig(
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
): Omit<LoadedConfig, 'path'> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { uniqueKeys: true, lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => ({
      path: '',
      message: `YAML: ${e.message.split('\n')[0]}`,
      line: lineCounter.linePos(e.pos[0]).line,
    })));
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };

  const problems: ConfigProblem[] = [];
  let js: unknown;
  try {
    // yaml refuses alias expansions that would blow up (billion laughs) with a ReferenceError.
    js = doc.toJS();
  } catch (err) {
    throw new ConfigError([{ path: '', message: `YAML: ${(err as Error).message}` }]);
  }
  const raw = interpolate(js ?? {}, env, problems);
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    // A field whose ${VAR} failed is already reported; its empty value would only add noise.
    const reported = new Set(problems.map((p) => p.path));
    const found = parsed.error.issues.flatMap((issue) => describeIssue(issue, lineOf));
    problems.push(...found.filter((p) => !reported.has(p.path)));
  }
  else problems.push(...checkSemantics(parsed.data));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  return {
    config: normalize(parsed.data, baseDir),
    version: createHash('sha256').update(source).digest('hex').slice(0, 12),
    warnings: findUnreachableRoutes(parsed.data),
  };
}

function describeIssue(issue: z.core.$ZodIssue, lineOf: (p: readonly PropertyKey[]) => number | undefined): ConfigProblem[] {
  const at = (path: readonly PropertyKey[], message: string): ConfigProblem => {
    const line = lineOf(path);
    return line === undefined ? { path: formatPath(path), message } : { path: formatPath(path), message, line };
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => at([...issue.path, key], 'unknown key'));
    case 'invalid_type':
      if (issue.input === undefined) return [at(issue.path, 'is required')];
      return [at(issue.path, issue.message.startsWith('Invalid input') ? `must be ${article(issue.expected)}` : issue.message)];
    case 'invalid_value':
      return [at(issue.path, `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`)];
    case 'invalid_union':
      return [at(issue.path, issue.message.startsWith('Invalid input') ? 'has the wrong form' : issue.message)];
    default:
      return [at(issue.path, issue.message)];
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

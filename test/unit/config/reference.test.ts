// The README's configuration reference and the schema must list the same keys.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { configSchema } from '../../../shared/src/config/schema.js';
import { REPO_ROOT } from '../../helpers/paths.js';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

// Override blocks repeat a documented shape; the README describes them in one row.
const SAME_SHAPE_AS_DOCUMENTED = [/^clusters\[\]\.healthCheck\./, /^clusters\[\]\.endpoints\[\]\.healthCheck\./, /^routes\[\]\.cors\./];

function schemaKeys(): Set<string> {
  const out = new Set<string>();
  const walk = (s: JsonSchema | undefined, path: string) => {
    if (!s) return;
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(branch, path);
    if (s.items) walk(s.items, `${path}[]`);
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      const p = path ? `${path}.${key}` : key;
      if (!SAME_SHAPE_AS_DOCUMENTED.some((re) => re.test(p))) out.add(p);
      walk(child, p);
    }
  };
  walk(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, '');
  return out;
}

function readmeKeys(): Set<string> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Configuration reference')[1]!.split('\n## ')[0]!;
  return new Set([...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!));
}

test('every configuration key of the schema is documented in the README', () => {
  const documented = readmeKeys();
  const missing = [...schemaKeys()].filter((k) => !documented.has(k));
  assert.deepEqual(missing, []);
});

test('the README documents no key the schema does not have', () => {
  const keys = schemaKeys();
  const extra = [...readmeKeys()].filter((k) => !keys.has(k));
  assert.deepEqual(extra, []);
});

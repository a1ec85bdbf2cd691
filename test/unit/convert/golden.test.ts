// `portico convert` golden files: test/golden/convert/FORMAT/NAME.{json,yaml} -> NAME.portico.yaml.
// The committed output must be what the converter prints, and it must be a valid Portico
// configuration with no unreachable routes. UPDATE_GOLDEN=1 rewrites the outputs.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../../shared/src/config/index.js';
import { CONVERT_FORMATS, converterFor } from '../../../shared/src/convert/index.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const DIR = join(REPO_ROOT, 'test/golden/convert');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const OUTPUT = '.portico.yaml';

/** Every ${VAR} an output refers to, set to a harmless value. */
function envFor(yaml: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of yaml.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) env[m[1]!] = `value-of-${m[1]!.toLowerCase()}`;
  return env;
}

for (const format of CONVERT_FORMATS) {
  const inputs = readdirSync(join(DIR, format)).filter((f) => !f.endsWith(OUTPUT)).sort();

  test(`golden ${format}: there are sample inputs`, () => {
    assert.ok(inputs.length >= 2, `expected sample inputs in ${join(DIR, format)}`);
  });

  for (const file of inputs) {
    test(`golden ${format}: ${file}`, () => {
      const actual = converterFor(format)(readFileSync(join(DIR, format, file), 'utf8'), file);
      const expectedPath = join(DIR, format, file.replace(/\.[a-z]+$/, OUTPUT));
      if (UPDATE) writeFileSync(expectedPath, actual);
      assert.ok(existsSync(expectedPath), `missing ${expectedPath}; run with UPDATE_GOLDEN=1`);
      assert.equal(actual, readFileSync(expectedPath, 'utf8'));

      const { config, warnings } = parseConfig(actual, envFor(actual), '/srv/portico');
      assert.deepEqual(warnings, []);
      assert.ok(config.routes.length >= 1);
    });
  }
}

// buildSnapshot golden files: test/golden/snapshot/NAME.yaml -> NAME.json (the decoded snapshot a
// data plane receives). UPDATE_GOLDEN=1 rewrites the JSON files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../../shared/src/config/index.js';
import { roundTrip } from '../../../shared/src/snapshot/codec.js';
import { buildSnapshot, checkConsistency, type EndpointHealth } from '../../../control-plane/src/snapshot/build.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const DIR = join(REPO_ROOT, 'test/golden/snapshot');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
// A fixed health view for every golden file: first endpoint of each cluster healthy, second unhealthy.
const HEALTH_SAMPLES: EndpointHealth[] = [
  { status: 'HEALTHY', latencyMs: 12.5, lastCheck: '2025-01-01T00:00:00.000Z' },
  { status: 'UNHEALTHY', latencyMs: 0, lastCheck: '2025-01-01T00:00:01.000Z' },
];

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

test('golden: there are snapshot golden inputs', () => {
  assert.ok(files.length >= 2, `expected golden inputs in ${DIR}`);
});

for (const file of files) {
  test(`golden: ${file}`, () => {
    const { config, version } = parseConfig(readFileSync(join(DIR, file), 'utf8'), { GOLDEN_KEY: 'k-123' }, '/srv/portico');
    const health = new Map<string, EndpointHealth>();
    for (const c of config.clusters) c.endpoints.forEach((e, i) => { const h = HEALTH_SAMPLES[i]; if (h) health.set(`${c.name}/${e.name}`, h); });
    const built = buildSnapshot(config, health, { version: 7, runId: 'golden-run', configVersion: version, createdAt: '2025-01-01T00:00:00.000Z' });
    assert.deepEqual(checkConsistency(built), []);
    const actual = `${JSON.stringify(roundTrip(built), null, 2)}\n`;
    const expectedPath = join(DIR, file.replace(/\.yaml$/, '.json'));
    if (UPDATE || !existsSync(expectedPath)) {
      if (!UPDATE) assert.fail(`missing ${expectedPath}; run with UPDATE_GOLDEN=1`);
      writeFileSync(expectedPath, actual);
    }
    assert.equal(actual, readFileSync(expectedPath, 'utf8'));
  });
}

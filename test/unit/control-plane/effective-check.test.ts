// Effective health check = defaults ⊕ cluster ⊕ endpoint, and the probe URL keeps the endpoint's base path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../shared/src/config/index.js';
import { probeTargets, probeUrl } from '../../../control-plane/src/health/check.js';

test('effective check: endpoint overrides cluster overrides defaults; probe URL joins base path and check path', () => {
  const { config } = parseConfig(`
healthCheck: { interval: 1s, unhealthyThreshold: 4 }
clusters:
  - name: c
    healthCheck: { path: /v1/status, method: HEAD, expectedStatus: 204 }
    endpoints:
      - { url: http://127.0.0.1:1/base/, name: a }
      - { url: http://127.0.0.1:2, name: b, healthCheck: { path: /ping, interval: 250ms } }
routes: [{ match: { prefix: / }, cluster: c }]
`, {}, '/');
  const [a, b] = probeTargets(config);
  assert.deepEqual(
    { url: a!.probeUrl, method: a!.method, interval: a!.intervalMs, timeout: a!.timeoutMs, unhealthy: a!.unhealthyThreshold, expected: a!.expectedStatus },
    { url: 'http://127.0.0.1:1/base/v1/status', method: 'HEAD', interval: 1000, timeout: 2000, unhealthy: 4, expected: { min: 204, max: 204 } },
  );
  assert.deepEqual(
    { url: b!.probeUrl, method: b!.method, interval: b!.intervalMs, key: b!.key },
    { url: 'http://127.0.0.1:2/ping', method: 'HEAD', interval: 250, key: 'c/b' },
  );
  assert.notEqual(a!.fingerprint, b!.fingerprint);
  assert.equal(probeUrl('http://h:1/x', '/health'), 'http://h:1/x/health');
});

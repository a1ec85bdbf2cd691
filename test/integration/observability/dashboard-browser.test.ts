// The dashboard in headless Chromium (Debian's /usr/bin/chromium, installed by `make test-deps`):
// it loads, shows every cluster and endpoint, goes live on /api/events, and flips an endpoint from
// healthy to unhealthy on screen within the probe interval plus 1 s after its backend fails; on a
// phone-sized viewport nothing overflows sideways. Saves the screenshot the README shows.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '../../helpers/cleanup.js';
import { startGateway } from '../../helpers/gateway.js';
import { waitForEndpointStatus } from '../../helpers/health.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { startProbedBackend } from './observe.js';

const CHROMIUM = '/usr/bin/chromium';
const PROBE_INTERVAL_MS = 500;

test('dashboard: every cluster shown, a failing backend flips on screen', async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run make test-deps (apt-get install chromium)`);
  // Probe answers with a little jitter so the sparklines have something to draw.
  const jitter = () => 1 + Math.floor(Math.random() * 6);
  const backends = {
    'users-1': await startProbedBackend(t, 'users-1', { probeDelayMs: jitter }),
    'users-2': await startProbedBackend(t, 'users-2', { probeDelayMs: jitter }),
    'orders-1': await startProbedBackend(t, 'orders-1', { probeDelayMs: () => 8 + jitter() }),
    'orders-2': await startProbedBackend(t, 'orders-2', { probeDelayMs: () => 12 + jitter() }),
    'search-1': await startProbedBackend(t, 'search-1', { probeDelayMs: () => 3 + jitter() }),
  };
  const gw = await startGateway(t, `
healthCheck: { interval: ${PROBE_INTERVAL_MS}ms, timeout: 400ms, jitter: 0%, unhealthyThreshold: 1, healthyThreshold: 1 }
clusters:
  - name: users
    endpoints:
      - { url: "${backends['users-1'].url}", name: users-1 }
      - { url: "${backends['users-2'].url}", name: users-2 }
  - name: orders
    balancer: least-latency
    endpoints:
      - { url: "${backends['orders-1'].url}", name: orders-1 }
      - { url: "${backends['orders-2'].url}/v2", name: orders-2 }
  - name: search
    balancer: first-success
    endpoints:
      - { url: "${backends['search-1'].url}", name: search-1 }
routes:
  - { name: users, match: { prefix: /users }, cluster: users }
  - { name: orders, match: { prefix: /orders }, cluster: orders }
  - { name: search, match: { prefix: /search }, cluster: search }
`);
  for (const cluster of ['users', 'orders', 'search']) await waitForEndpointStatus(gw, cluster, 'healthy');

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });

  await page.goto(`${gw.adminUrl}/`);
  for (const cluster of ['users', 'orders', 'search']) {
    assert.ok(await page.locator(`article.cluster[data-cluster="${cluster}"] h2`).isVisible(), `cluster ${cluster} shown`);
  }
  for (const [name, backend] of Object.entries(backends)) {
    const row = page.locator(`tr.endpoint[data-endpoint$="/${name}"]`);
    assert.ok(await row.isVisible(), `endpoint ${name} shown`);
    assert.match(await row.locator('.ep-url').innerText(), new RegExp(`^${backend.url.replace(/[.]/g, '\\.')}`));
    assert.equal(await row.locator('.status-text').innerText(), 'healthy');
  }
  // The script has connected to /api/events: from here on, no change can be missed.
  await page.locator('#live[data-state="live"]').waitFor({ timeout: 5_000 });

  const row = page.locator('tr.endpoint[data-endpoint="orders/orders-2"]');
  const failedAt = Date.now();
  backends['orders-2'].setHealthy(false);
  await row.locator('.status-text', { hasText: /^unhealthy$/ }).waitFor({ timeout: PROBE_INTERVAL_MS + 1_000 });
  const elapsed = Date.now() - failedAt;
  assert.ok(elapsed <= PROBE_INTERVAL_MS + 1_000, `flipped on screen after ${elapsed} ms`);
  assert.equal(await row.getAttribute('data-status'), 'unhealthy');
  assert.equal(await page.locator('article.cluster[data-cluster="orders"]').getAttribute('data-state'), 'warn');
  assert.equal(await page.locator('[data-count="unhealthy"]').innerText(), '1');
  // No reload happened: the same document was patched in place.
  assert.equal(await page.evaluate<number>("performance.getEntriesByType('navigation').length"), 1);

  // Let the page's own refresh after the flip's snapshot bring in the sparkline and the
  // availability dip, then keep the picture.
  await waitFor(async () => (await row.locator('.spark-bad').count()) > 0 || undefined, 'refreshed row shows the failing probes', 8_000, 100);
  assert.equal(await row.locator('.status-text').innerText(), 'unhealthy', 'the refresh agrees with the live patch');
  // The README's picture is refreshed on request only: a test run leaves the tree as it was.
  if (process.env.PORTICO_UPDATE_SCREENSHOT === '1') await page.screenshot({ path: join(REPO_ROOT, 'docs/dashboard.png'), fullPage: true });

  // Phone-sized: every cluster still there, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 0, `page is ${overflow}px wider than a phone screen`);
  assert.ok(await page.locator('tr.endpoint[data-endpoint="orders/orders-2"] .status-text').isVisible());

  assert.deepEqual(pageErrors, []);
});

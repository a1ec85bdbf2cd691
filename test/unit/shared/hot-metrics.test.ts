// The hot-path counter and histogram render exactly what prom-client's own would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from '../../../shared/src/hot-metrics.js';

const BOUNDS = [0.001, 0.01, 0.1, 1];
const SAMPLES = [0.0004, 0.002, 0.002, 0.05, 0.5, 3];

test('HotHistogram exposition equals prom-client Histogram for the same observations', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const hot = new HotHistogram('x_seconds', 'help', ['route', 'cluster'], BOUNDS, ours);
  const ref = new Histogram({ name: 'x_seconds', help: 'help', labelNames: ['route', 'cluster'], buckets: BOUNDS, registers: [theirs] });
  const child = hot.child('r', 'c');
  for (const s of SAMPLES) {
    child.observe(s);
    ref.observe({ route: 'r', cluster: 'c' }, s);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('HotCounter exposition equals prom-client Counter, and children are shared per label set', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const hot = new HotCounter('y_total', 'help', ['code'], ours);
  const ref = new Counter({ name: 'y_total', help: 'help', labelNames: ['code'], registers: [theirs] });
  hot.child('200').inc();
  hot.child('200').inc(2);
  hot.child('404').inc();
  ref.inc({ code: '200' }, 3);
  ref.inc({ code: '404' });
  assert.equal(hot.child('200'), hot.child('200'));
  assert.equal(await ours.metrics(), await theirs.metrics());
});

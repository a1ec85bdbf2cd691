// Smoke test of the benchmark harness (bench/): the wrk report parser on a fixed sample, and the
// backend measured directly for one second. Numbers are not checked, only that each probe works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sseTtfe, upload } from '../../bench/probes.js';
import { stop } from '../../bench/procs.js';
import { median, medianBy } from '../../bench/stats.js';
import { targets, type SubjectResult } from '../../bench/report.js';
import { MINIMAL, nginxConfig, porticoConfig, startBackend, startMinimal, type Subject } from '../../bench/subjects.js';
import { parseWrk, wrk } from '../../bench/wrk.js';

const SAMPLE = `Running 1s test @ http://127.0.0.1:8080/1k
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.73ms  800.12us  21.40ms   91.02%
    Req/Sec    17.59k     1.20k   19.80k    80.00%
  Latency Distribution
     50%    2.64ms
     75%  900.00us
     90%    3.10ms
     99%    1.02s
  17594 requests in 1.00s, 19.84MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:  17594.12
Transfer/sec:     19.81MB
`;

describe('bench harness', () => {
  it('parses a wrk --latency report, units included', () => {
    const r = parseWrk(SAMPLE);
    assert.equal(r.requests, 17594);
    assert.equal(r.seconds, 1);
    assert.equal(r.rps, 17594.12);
    assert.equal(r.transferPerSec, 19.81 * 1024 * 1024);
    assert.equal(r.latencyMs.avg, 2.73);
    assert.equal(r.latencyMs.max, 21.4);
    assert.equal(r.latencyMs.p50, 2.64);
    assert.equal(r.latencyMs.p75, 0.9);
    assert.equal(r.latencyMs.p99, 1020);
    assert.equal(r.errors, 9);
    assert.throws(() => parseWrk('garbage'), /wrk: no/);
  });

  it('reports the median round, whatever order the rounds came in', () => {
    assert.equal(median([9_000, 7_000, 8_000]), 8_000);
    assert.equal(median([4, 1, 3, 2]), 3, 'the upper middle of an even count');
    assert.ok(Number.isNaN(median([])));
    const rounds = [{ rps: 10, p99: 3 }, { rps: 30, p99: 1 }, { rps: 20, p99: 2 }];
    assert.equal(medianBy(rounds, (r) => r.rps), rounds[2]);
    assert.equal(medianBy(rounds, (r) => r.p99), rounds[2]);
    assert.equal(medianBy([], (r: { rps: number }) => r.rps), undefined);
  });

  it('generates loopback-only configs for Portico and NGINX', () => {
    assert.match(porticoConfig('http://127.0.0.1:1234'), /url: http:\/\/127\.0\.0\.1:1234\n[\s\S]*prefix: \//);
    const conf = nginxConfig('http://127.0.0.1:1234', 5678, '/tmp/x');
    assert.match(conf, /server 127\.0\.0\.1:1234;/);
    assert.match(conf, /listen 127\.0\.0\.1:5678;/);
    assert.match(conf, /worker_processes 1;/);
  });

  it('puts Portico\'s added p99 next to the minimal Node proxy\'s', () => {
    const at = (name: string, p99: number): SubjectResult => ({
      name, failed: null, small: null, smallRounds: [], large: null, largeRounds: [], rateRounds: [p99], sse: null, upload: null, notes: [],
      rate: { target: 1000, wrk: { ...parseWrk(SAMPLE), latencyMs: { ...parseWrk(SAMPLE).latencyMs, p99 } } },
    });
    const text = targets([at('direct', 1), at('portico', 3.5), at(MINIMAL, 3.25)]);
    assert.match(text, /added p99 < 2 ms at half of Portico's max rate: 2\.50 ms — NOT met/);
    assert.match(text, /for scale, in the same run at the same rate: a minimal node:http \+ undici proxy added 2\.25 ms/);
  });

  describe('against the backend, direct', { timeout: 20_000 }, () => {
    let backend: Awaited<ReturnType<typeof startBackend>>;
    before(async () => {
      backend = await startBackend(null);
    });
    after(async () => {
      await stop(backend.child);
    });

    it('uploads with a matching sha256', async () => {
      const u = await upload(`${backend.origin}/upload`, 8 * 1024 * 1024 + 123, null, 10_000);
      assert.ok(u.ok, u.detail);
    });

    it('measures SSE time to first event', async () => {
      const s = await sseTtfe(`${backend.origin}/sse`, 10, 5000);
      assert.equal(s.failures, 0);
      assert.equal(s.samples, 10);
      assert.ok(s.medianMs > 0 && s.medianMs < 1000);
    });

    it('streams an upload and SSE through the minimal reference proxy', async () => {
      let proxy: Subject | undefined;
      try {
        proxy = await startMinimal(backend.origin);
        const u = await upload(`${proxy.origin}/upload`, 4 * 1024 * 1024 + 7, null, 10_000);
        assert.ok(u.ok, u.detail);
        const s = await sseTtfe(`${proxy.origin}/sse`, 5, 5000);
        assert.equal(s.failures, 0);
        assert.equal(s.samples, 5);
      } finally {
        await proxy?.stop();
      }
    });

    // make test-deps installs wrk: a harness that cannot drive load is a failure, not a skip.
    it('runs wrk for one second', async () => {
      const r = await wrk({ url: `${backend.origin}/1k`, connections: 4, seconds: 1 });
      assert.ok(r.requests > 0);
      assert.equal(r.errors, 0);
    });
  });
});

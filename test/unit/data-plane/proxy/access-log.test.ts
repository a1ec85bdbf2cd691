// The data plane's access-log writer bypasses pino's serializer for speed; its lines must stay
// byte-for-byte what pino would have printed for the same record, whatever the client put in
// the path or request id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pino } from 'pino';
import { directAccessLog, loggerAccessLog, type ExchangeRecord } from '../../../../data-plane/src/proxy/access-log.js';

function capture(level = 'info', bindings: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const logger = pino({ level, base: { pid: 42 }, timestamp: () => ',"time":1' }, { write: (s: string) => lines.push(s) }).child(bindings);
  return { lines, logger };
}

// Whole microseconds (what observe.ts logs, printed from integers) and any other double.
const duration = fc.oneof(fc.nat({ max: 3e9 }).map((us) => us / 1000), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(-0, 0, 1e-7, 2.5e12));

const record = fc.record({
  requestId: fc.string({ unit: 'binary' }),
  route: fc.string(),
  cluster: fc.string(),
  endpoint: fc.string(),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.string({ unit: 'binary', maxLength: 200 }),
  status: fc.integer({ min: 100, max: 599 }),
  clientIp: fc.constantFrom('127.0.0.1', '::1'),
  upstreamMs: duration,
  totalMs: duration,
  bytesIn: fc.nat(),
  bytesOut: fc.nat(),
  retries: fc.nat({ max: 5 }),
  error: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
}) satisfies fc.Arbitrary<ExchangeRecord>;

test('the direct access-log line is the line pino prints for the same record', () => {
  fc.assert(fc.property(record, (r) => {
    const { lines, logger } = capture('info', { plane: 'data' });
    directAccessLog(logger)(r);
    loggerAccessLog(logger)(r);
    assert.equal(lines.length, 2);
    assert.equal(lines[0], lines[1]);
    assert.equal((JSON.parse(lines[0]!) as { path: string }).path, r.path);
  }), { numRuns: 2000 });
});

test('the direct access log writes nothing above info', () => {
  const { lines, logger } = capture('warn');
  directAccessLog(logger)({
    requestId: 'r', route: 'a', cluster: 'c', endpoint: 'e', method: 'GET', path: '/', status: 200, clientIp: '127.0.0.1',
    upstreamMs: 1, totalMs: 2, bytesIn: 0, bytesOut: 0, retries: 0, error: undefined,
  });
  assert.deepEqual(lines, []);
});

// The logger's destination: every write(2) holds whole lines, at most 4 KiB (PIPE_BUF) unless it
// goes to a regular file, lines come out whole and in order, and nothing is lost to a full
// non-blocking descriptor or a closed one.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineBuffer } from '../../../shared/src/line-buffer.js';

function recorder(options: { eagainEvery?: number; fail?: string } = {}) {
  const writes: Buffer[] = [];
  let calls = 0;
  const writeSync = (_fd: number, data: Buffer, offset: number, length: number): number => {
    calls++;
    if (options.fail !== undefined) throw Object.assign(new Error(options.fail), { code: options.fail });
    if (options.eagainEvery !== undefined && calls % options.eagainEvery === 0) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    writes.push(Buffer.from(data.subarray(offset, offset + length)));
    return length;
  };
  return { writes, writeSync };
}

const line = fc.string({ unit: 'binary', maxLength: 900 }).map((s) => `${s.replace(/\n/g, ' ')}\n`);

test('writes are whole lines of at most 4 KiB, and every line arrives once, in order', () => {
  fc.assert(fc.property(fc.array(line, { maxLength: 80 }), (lines) => {
    const { writes, writeSync } = recorder();
    const out = new LineBuffer(9, { flushIntervalMs: 0, writeSync, maxWrite: 4096 });
    for (const l of lines) out.write(l);
    out.flushSync();
    for (const w of writes) {
      assert.ok(w.length <= 4096, `a write of ${w.length} bytes`);
      assert.equal(w.at(-1), 0x0a, 'a write ends at a line end');
    }
    assert.equal(Buffer.concat(writes).toString('utf8'), Buffer.from(lines.join(''), 'utf8').toString('utf8'));
  }), { numRuns: 300 });
});

test('lines are held until 4 KiB are pending, then written in one call', () => {
  const { writes, writeSync } = recorder();
  const out = new LineBuffer(9, { flushIntervalMs: 0, writeSync, maxWrite: 4096 });
  const l = `${'x'.repeat(99)}\n`;
  for (let i = 0; i < 40; i++) out.write(l);
  assert.equal(writes.length, 0, '4,000 bytes are still held');
  out.write(l);
  assert.deepEqual(writes.map((w) => w.length), [4000], 'the 41st line would pass 4 KiB: the 40 before it go');
  out.flushSync();
  assert.deepEqual(writes.map((w) => w.length), [4000, 100]);
});

test('a line longer than 4 KiB is written alone, in 4 KiB pieces', () => {
  const { writes, writeSync } = recorder();
  const out = new LineBuffer(9, { flushIntervalMs: 0, writeSync, maxWrite: 4096 });
  out.write('a\n');
  out.write(`${'y'.repeat(10_000)}\n`);
  out.write('b\n');
  out.flushSync();
  assert.deepEqual(writes.map((w) => w.length), [2, 4096, 4096, 1809, 2]);
  const big = `${'z'.repeat(100_000)}\n`;
  out.write(big);
  assert.equal(Buffer.concat(writes.slice(5)).toString(), big, 'larger than the buffer itself');
});

test('a full non-blocking descriptor (EAGAIN) is retried until the reader takes the lines', () => {
  const { writes, writeSync } = recorder({ eagainEvery: 2 });
  const out = new LineBuffer(9, { flushIntervalMs: 0, writeSync, maxWrite: 4096 });
  for (let i = 0; i < 200; i++) out.write(`${i} ${'p'.repeat(60)}\n`);
  out.flushSync();
  const lines = Buffer.concat(writes).toString().split('\n').filter(Boolean);
  assert.deepEqual(lines.map((l) => Number(l.split(' ')[0])), Array.from({ length: 200 }, (_, i) => i));
});

test('a closed descriptor (EPIPE) loses the lines but never throws', () => {
  const { writeSync } = recorder({ fail: 'EPIPE' });
  const out = new LineBuffer(9, { flushIntervalMs: 0, writeSync, maxWrite: 4096 });
  for (let i = 0; i < 100; i++) assert.doesNotThrow(() => out.write(`${'q'.repeat(100)}\n`));
  assert.doesNotThrow(() => out.flushSync());
});

test('pending lines are written by the timer', async () => {
  const { writes, writeSync } = recorder();
  const out = new LineBuffer(9, { flushIntervalMs: 20, writeSync, maxWrite: 4096 });
  out.write('tick\n');
  const deadline = Date.now() + 2_000;
  while (writes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  out.end();
  assert.equal(Buffer.concat(writes).toString(), 'tick\n');
});

test('a regular file takes writes of up to 32 KiB; anything else (here /dev/null) at most PIPE_BUF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-lines-'));
  const file = openSync(join(dir, 'log'), 'a');
  const other = openSync('/dev/null', 'w');
  try {
    const l = `${'x'.repeat(99)}\n`;
    const sizes: Record<string, number[]> = {};
    for (const [name, fd] of [['file', file], ['device', other]] as const) {
      const { writes, writeSync } = recorder();
      const out = new LineBuffer(fd, { flushIntervalMs: 0, writeSync });
      for (let i = 0; i < 1000; i++) out.write(l);
      out.flushSync();
      sizes[name] = writes.map((w) => w.length);
      assert.equal(Buffer.concat(writes).length, 100_000);
    }
    assert.equal(Math.max(...sizes.file!), 32_700, 'whole lines up to 32 KiB');
    assert.equal(Math.max(...sizes.device!), 4_000, 'whole lines up to 4 KiB');
  } finally {
    closeSync(file);
    closeSync(other);
    rmSync(dir, { recursive: true, force: true });
  }
});

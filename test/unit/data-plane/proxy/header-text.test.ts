// The header-bytes cache must answer exactly what latin1 decoding would, whatever collides in its
// slots, however long the text, and even when undici reuses the bytes it handed over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HeaderText } from '../../../../data-plane/src/proxy/header-text.js';

// A small alphabet and lengths around the cache's limit: many slot collisions and near-misses.
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 60 }),
  fc.array(fc.constantFrom(0x41, 0x61, 0x2d, 0xe9, 0x20), { minLength: 1, maxLength: 50 }).map((a) => Uint8Array.from(a)),
  fc.constantFrom('Content-Type', 'content-type', 'Content-Length', 'Keep-Alive', 'keep-alive', 'Date', 'DATE').map((s) => Uint8Array.from(Buffer.from(s, 'latin1'))),
);

test('text() and lower() equal latin1 decoding for any sequence of header bytes', () => {
  fc.assert(fc.property(fc.array(bytes, { maxLength: 300 }), (list) => {
    const cache = new HeaderText();
    for (const u of list) {
      const b = Buffer.from(u);
      assert.equal(cache.text(b), b.toString('latin1'));
      assert.equal(cache.lower(b), b.toString('latin1').toLowerCase());
    }
  }), { numRuns: 300 });
});

test('bytes changed after they were cached are read anew', () => {
  const cache = new HeaderText();
  const b = Buffer.from('content-length', 'latin1');
  assert.equal(cache.text(b), 'content-length');
  b[3] = 0x54; // 'T': same length and same sampled bytes (first, middle, last), so the same slot
  assert.equal(cache.text(b), 'conTent-length');
  assert.equal(cache.lower(b), 'content-length');
});

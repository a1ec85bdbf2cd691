// Upstream header bytes (undici's raw Buffers) -> strings, through a small cache. Each
// Buffer#latin1Slice is a call into C++ that cost ~700 instructions (callgrind, issue 2), ten per
// proxied response; a response's names and most of its values (content-type, keep-alive, a
// content-length, this second's Date) are the bytes of the previous response. A cached entry is
// found by a hash of a few bytes and confirmed by comparing them all; names also keep their
// lower-case form, so header rules need neither toLowerCase nor a fresh string hash per header.

/** Direct-mapped: a new text simply replaces the one in its slot. */
const SLOTS = 256;
/** Longer texts (cookies, tokens) are rarely repeated: converted without caching. */
const MAX_CACHED = 48;

export class HeaderText {
  /** Every slot's bytes, MAX_CACHED apart: no Buffer per entry. */
  private readonly bytes = Buffer.alloc(SLOTS * MAX_CACHED);
  private readonly lengths = new Int16Array(SLOTS).fill(-1);
  private readonly texts: string[] = new Array<string>(SLOTS).fill('');
  /** Filled on first use: values are rarely asked for theirs. */
  private readonly lowers: Array<string | undefined> = new Array<string | undefined>(SLOTS).fill(undefined);

  /** The exact text of `b` (latin1, as node and undici read header bytes). */
  text(b: Buffer): string {
    const slot = this.find(b);
    return slot === -1 ? latin1(b) : this.texts[slot]!;
  }

  /** The lower-case text of `b`, for a header name. */
  lower(b: Buffer): string {
    const slot = this.find(b);
    if (slot === -1) return latin1(b).toLowerCase();
    return (this.lowers[slot] ??= this.texts[slot]!.toLowerCase());
  }

  /** The slot holding `b` (filled on a miss); -1 for texts too long to cache. */
  private find(b: Buffer): number {
    const n = b.length;
    if (n > MAX_CACHED || n === 0) return -1;
    const slot = (n * 31 + b[0]! * 7 + b[n - 1]! * 13 + b[n >> 1]! * 3) & (SLOTS - 1);
    const at = slot * MAX_CACHED;
    if (this.lengths[slot] === n) {
      const bytes = this.bytes;
      let i = 0;
      while (i < n && bytes[at + i] === b[i]) i++;
      if (i === n) return slot;
    }
    this.bytes.set(b, at);
    this.lengths[slot] = n;
    this.texts[slot] = latin1(b);
    this.lowers[slot] = undefined;
    return slot;
  }
}

function latin1(b: Buffer): string {
  return (b as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(0, b.length);
}

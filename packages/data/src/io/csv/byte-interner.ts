/**
 * Turns byte spans (UTF-8 text inside a Buffer) into small integer codes, decoding each distinct
 * span to a JS string once: the string dictionary of one column of one batch. Spans are compared
 * by their bytes, so the same text always gets the same code; `internString` adds text that did
 * not come from a span (an unescaped quoted field).
 *
 * @example
 * const d = new ByteInterner();
 * d.intern(Buffer.from('LAS,LAS'), 0, 3) === d.intern(Buffer.from('LAS,LAS'), 4, 7); // true
 * d.dictionary; // ['LAS']
 */
export class ByteInterner {
  dictionary: string[] = newDictionary();
  private slots = new Int32Array(256);
  private hashes = new Int32Array(64);
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private arena = Buffer.allocUnsafe(4096);
  private used = 0;
  private byText: Map<string, number> | undefined;

  /** The code `intern` gave last: a column often repeats its value from one row to the next. */
  private last = -1;

  constructor() {
    // the fields `reset` stores, stored a second time now, before any code is optimised: V8
    // treats a field stored once as a constant, and the first `reset` (the end of the first
    // batch) storing it again dropped the optimised code of every function reading it
    this.startOver();
  }

  /** The code of the bytes `buf[start..end)`. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const last = this.last;
    if (last >= 0) {
      const a = this.starts[last] as number;
      const len = end - start;
      if ((this.ends[last] as number) - a === len) {
        const arena = this.arena;
        let i = 0;
        while (i < len && arena[a + i] === buf[start + i]) i++;
        if (i === len) return last;
      }
    }
    return (this.last = this.lookup(buf, start, end));
  }

  /** `intern` by the hash table. */
  private lookup(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
    h ^= h >>> 15;
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    const len = end - start;
    for (;;) {
      const k = (slots[s] as number) - 1;
      if (k < 0) break;
      if (this.hashes[k] === h) {
        const a = this.starts[k] as number;
        if ((this.ends[k] as number) - a === len) {
          const arena = this.arena;
          let i = 0;
          while (i < len && arena[a + i] === buf[start + i]) i++;
          if (i === len) return k;
        }
      }
      s = (s + 1) & mask;
    }
    const code = this.dictionary.length;
    this.dictionary.push(decodeUtf8(buf, start, end));
    this.remember(code, h, buf, start, len);
    slots[s] = code + 1;
    if ((code + 1) * 2 > slots.length) this.grow();
    return code;
  }

  /** The code of a string (decoded text that is not a byte span of the input). */
  internString(text: string): number {
    this.byText ??= new Map();
    let k = this.byText.get(text);
    if (k === undefined) {
      k = this.dictionary.push(text) - 1;
      this.byText.set(text, k);
      this.remember(k, 0, new Uint8Array(0), 0, 0, true);
    }
    return k;
  }

  /** Forgets every entry: the next batch starts a new dictionary. */
  reset(): void {
    this.last = -1;
    if (this.dictionary.length === 0) return;
    this.slots.fill(0);
    this.startOver();
  }

  private startOver(): void {
    this.last = -1;
    this.dictionary = newDictionary();
    this.used = 0;
    this.byText = undefined;
  }

  private remember(
    code: number,
    h: number,
    buf: Uint8Array,
    start: number,
    len: number,
    textOnly = false,
  ): void {
    if (code >= this.hashes.length) {
      const n = this.hashes.length * 2;
      this.hashes = grown(this.hashes, n);
      this.starts = grown(this.starts, n);
      this.ends = grown(this.ends, n);
    }
    if (textOnly) {
      // never matched by a span: an end before the start
      this.hashes[code] = 0;
      this.starts[code] = 1;
      this.ends[code] = 0;
      return;
    }
    if (this.used + len > this.arena.length) {
      const next = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(next, 0, 0, this.used);
      this.arena = next;
    }
    this.arena.set(buf.subarray(start, start + len), this.used);
    this.hashes[code] = h;
    this.starts[code] = this.used;
    this.ends[code] = this.used + len;
    this.used += len;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.dictionary.length; k++) {
      if ((this.ends[k] as number) < (this.starts[k] as number)) continue; // text-only entries
      let s = (this.hashes[k] as number) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }
}

/**
 * The UTF-8 text of `buf[start..end)`: a Buffer (the CSV scanner's chunks) decodes in place, other
 * bytes through a Buffer view. The view per distinct string (a Buffer object each) cost about as
 * much as the decoding on a column of timestamps.
 */
function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  if (Buffer.isBuffer(buf)) return buf.toString('utf8', start, end);
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}

/**
 * An empty dictionary, from one allocation site for the first one and every reset: V8 then creates
 * each with the elements kind the strings pushed gave the first (the site remembers it). A second
 * site's fresh \`[]\` stored into the field changed its map, which threw away the optimised code of
 * every function that reads the field (intern, lookup, ColumnBuilder.set) at the first batch.
 */
function newDictionary(): string[] {
  return [];
}

function grown(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

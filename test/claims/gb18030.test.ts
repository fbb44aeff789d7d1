// GB18030 → UTF-8 in WebAssembly (gb18030.ts + wasm/gb18030.ts) against TextDecoder('gb18030'): every one- and
// two-byte sequence, every four-byte sequence of the Basic Multilingual Plane and a sweep of the other planes, each
// read alone and between ASCII; then random GB18030 text with bytes broken here and there, read through CsvText in
// random chunks (one reused buffer) with and without the transcoder: the same records, the same errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvText, type RecordEvents } from '../../src/claims/csv.js';
import { Gb18030Transcoder, loadGb18030 } from '../../src/claims/gb18030.js';
import type { InputError } from '../../src/domain/types.js';

const MODULE = loadGb18030();
const made = MODULE === undefined ? undefined : Gb18030Transcoder.create(MODULE);

/** TextDecoder's reading of `bytes` as UTF-8 bytes, or undefined when they are not GB18030. */
function reference(bytes: Uint8Array): string | undefined {
  try {
    return Buffer.from(new TextDecoder('gb18030', { fatal: true }).decode(bytes)).toString('hex');
  } catch {
    return undefined;
  }
}

describe('GB18030 in WebAssembly', () => {
  it('is built, and fills its tables from TextDecoder', () => {
    expect(MODULE).toBeDefined();
    expect(made).toBeDefined();
  });

  it('reads every sequence as TextDecoder does, or leaves it to TextDecoder', () => {
    const t = made as Gb18030Transcoder;
    const sequences: number[][] = [];
    for (let b = 0x80; b <= 0xff; b++) sequences.push([b]);
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x00; trail <= 0xff; trail++) sequences.push([lead, trail]);
    for (let a = 0x81; a <= 0x84; a++) for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c <= 0xfe; c++) for (let d = 0x30; d <= 0x39; d++) sequences.push([a, b, c, d]);
    for (let a = 0x85; a <= 0xfe; a += 3) for (let b = 0x30; b <= 0x39; b += 4) for (let c = 0x81; c <= 0xfe; c += 5) sequences.push([a, b, c, 0x30 + (c % 10)]);
    let same = 0;
    let left = 0;
    for (const s of sequences) {
      const bytes = Uint8Array.from([0x41, ...s, 0x42]);
      const want = reference(bytes);
      const r = t.transcode(bytes);
      if (!r.unknown && r.consumed === bytes.length) {
        expect(Buffer.from(r.utf8).toString('hex'), s.map((b) => b.toString(16)).join(' ')).toBe(want);
        same++;
      } else {
        // Left to TextDecoder from the sequence on: the text before it is right, and nothing of it was read.
        expect(Buffer.from(r.utf8).toString('hex')).toBe('41');
        expect(r.consumed).toBe(1);
        left++;
      }
    }
    // Not vacuous: the tables answer for nearly every GB18030 sequence; what they leave is not GB18030, or is U+FFFD.
    expect(same).toBeGreaterThan(23940 + 39000);
    let leftButValid = 0;
    for (const s of sequences) {
      const bytes = Uint8Array.from([0x41, ...s, 0x42]);
      const r = t.transcode(bytes);
      if (r.unknown && reference(bytes) !== undefined) leftButValid++;
    }
    expect(leftButValid).toBeLessThanOrEqual(2); // U+FFFD (84 31 A4 37), which the tables cannot tell from an error
    expect(left).toBeGreaterThan(0);
  });

  it('leaves an incomplete sequence at the end unread, for the next bytes', () => {
    const t = made as Gb18030Transcoder;
    for (const tail of [[0xd6], [0x81, 0x30], [0x81, 0x30, 0x81]]) {
      const r = t.transcode(Uint8Array.from([0x41, ...tail]));
      expect([Buffer.from(r.utf8).toString(), r.consumed, r.unknown]).toEqual(['A', 1, false]);
    }
  });

  it('gives CsvText the same records and errors as TextDecoder, on random text in random chunks', () => {
    const words = ['结算单据号', '居民', '门诊', '住院', '否', '是', '清溪县人民医院', '€', '𠀀', '䶵', 'ABC', '1.50', ',', '\n', '\r\n', '"', 'ｈ０１', '〇'];
    const gbBytes = (text: string): number[] => {
      // The GB18030 bytes of `text`, found with TextDecoder (the module has no encoder): each character by search.
      const out: number[] = [];
      for (const ch of text) out.push(...ENCODED.get(ch)!);
      return out;
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 2 }), // broken bytes
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }),
        (parts, breaks, chunks) => {
          const bytes = gbBytes(parts.join(''));
          for (const [at, b] of breaks) if (bytes.length > 0) bytes[at % bytes.length] = b;
          const data = Uint8Array.from(bytes);
          const a = readCsv(data, chunks, () => made);
          const b = readCsv(data, chunks, undefined);
          expect(a).toEqual(b);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** GB18030 bytes of the test's characters: found by decoding candidate sequences with TextDecoder. */
const ENCODED = (() => {
  const wanted = new Set<string>();
  for (const w of ['结算单据号', '居民', '门诊', '住院', '否', '是', '清溪县人民医院', '€', '𠀀', '䶵', 'ABC', '1.50', ',', '\n', '\r\n', '"', 'ｈ０１', '〇']) for (const ch of w) wanted.add(ch);
  const found = new Map<string, number[]>();
  const d = new TextDecoder('gb18030', { fatal: true });
  const tryBytes = (bs: number[]) => {
    try {
      const s = d.decode(Uint8Array.from(bs));
      if (wanted.has(s) && !found.has(s)) found.set(s, bs);
    } catch {
      // not a sequence
    }
  };
  for (let b = 0; b <= 0xff; b++) tryBytes([b]);
  for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) tryBytes([lead, trail]);
  for (let a = 0x81; a <= 0x84; a++) for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c <= 0xfe; c++) for (let e = 0x30; e <= 0x39; e++) tryBytes([a, b, c, e]);
  tryBytes([0x95, 0x32, 0x82, 0x36]); // U+20000 𠀀
  for (const ch of wanted) if (!found.has(ch)) throw new Error(`no GB18030 bytes found for ${ch}`);
  return found;
})();

/** CsvText over `bytes` in the given chunk sizes (cycled), GB18030 given: what it hands on. */
function readCsv(bytes: Uint8Array, chunks: readonly number[], gb18030: (() => Gb18030Transcoder | undefined) | undefined) {
  const seen: string[] = [];
  const events: RecordEvents = {
    record(r, row) {
      seen.push(`${row} ${r.bytes.toString('utf8', 0, r.length)}`);
    },
    quoted(cells, row) {
      seen.push(`${row} q ${JSON.stringify(cells)}`);
    },
    error(e: InputError) {
      seen.push(`error ${e.row ?? ''} ${e.rule}`);
    },
  };
  const text = new CsvText('gb18030', 'f.csv', events, 64, gb18030);
  // One buffer for every chunk, as readCsvFile reads (CsvText must copy what it keeps).
  const reused = Buffer.alloc(Math.max(...chunks));
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = Math.min(chunks[k % chunks.length], bytes.length - at);
    reused.set(bytes.subarray(at, at + size));
    text.push(reused.subarray(0, size));
    reused.fill(0x7e);
    at += size;
  }
  text.end();
  return seen;
}

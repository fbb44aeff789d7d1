// AssemblyScript, compiled to dist/claims/gb18030.wasm by `npm run build`. GB18030 text → UTF-8 bytes, for CsvText
// (src/claims/gb18030.ts is its JavaScript side): Chinese Excel saves CSV files in GB18030, and decoding them with
// TextDecoder and encoding the string again as UTF-8 costs the reader more than reading the records.
//
// It decides nothing about the encoding itself: its tables are filled by the JavaScript side from TextDecoder's own
// answers (every one- and two-byte sequence, and the four-byte sequences of the Basic Multilingual Plane), and a
// sequence they hold no answer for (0) stops it (UNKNOWN): from there on TextDecoder reads the file, reporting what
// is not GB18030. The four-byte sequences of the other planes are the standard's linear range, used only when the
// JavaScript side found TextDecoder agreeing with it.
//
// Memory (bytes): [0, 64) results; T1: the bytes 0x80–0xFF alone (128 u16); T2: the two-byte sequences, lead
// 0x81–0xFE × trail 0x40–0x7E, 0x80–0xFE (126 × 190 u16); T4: the four-byte sequences 0x81–0x84 × 0x30–0x39 ×
// 0x81–0xFE × 0x30–0x39 (50400 u16); IN: the bytes to read; the output after them (JavaScript side: outBase).

const R_CONSUMED: i32 = 0;
const R_STATUS: i32 = 4;
const P_SUPPLEMENTARY: i32 = 8;

const T1: i32 = 64;
const T2: i32 = T1 + 128 * 2;
const T2_ENTRIES: i32 = 126 * 190;
const T4: i32 = T2 + T2_ENTRIES * 2;
const T4_ENTRIES: i32 = 4 * 10 * 126 * 10;
/** 16-byte aligned. */
const IN: i32 = (T4 + T4_ENTRIES * 2 + 15) & ~15;

/** Every sequence read (an incomplete one at the end left for the next call). */
const DONE: i32 = 0;
/** The sequence at R_CONSUMED has no answer in the tables. */
const UNKNOWN: i32 = 1;

/** The first pointer of the supplementary planes' linear range, and its last (U+10000 … U+10FFFF). */
const SUPPLEMENTARY_FIRST: i32 = 189000;
const SUPPLEMENTARY_LAST: i32 = 189000 + 0x10ffff - 0x10000;

export function t1Base(): i32 {
  return T1;
}
export function t2Base(): i32 {
  return T2;
}
export function t4Base(): i32 {
  return T4;
}
export function inBase(): i32 {
  return IN;
}
export function setSupplementary(on: i32): void {
  store<i32>(P_SUPPLEMENTARY, on);
}

/** Writes code point cp at o as UTF-8; returns the bytes written. */
@inline function utf8(o: i32, cp: u32): i32 {
  if (cp < 0x80) {
    store<u8>(o, cp as u8);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(o, (0xc0 | (cp >> 6)) as u8);
    store<u8>(o + 1, (0x80 | (cp & 0x3f)) as u8);
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, (0xe0 | (cp >> 12)) as u8);
    store<u8>(o + 1, (0x80 | ((cp >> 6) & 0x3f)) as u8);
    store<u8>(o + 2, (0x80 | (cp & 0x3f)) as u8);
    return 3;
  }
  store<u8>(o, (0xf0 | (cp >> 18)) as u8);
  store<u8>(o + 1, (0x80 | ((cp >> 12) & 0x3f)) as u8);
  store<u8>(o + 2, (0x80 | ((cp >> 6) & 0x3f)) as u8);
  store<u8>(o + 3, (0x80 | (cp & 0x3f)) as u8);
  return 4;
}

/**
 * The sequences whose answers fill T2 (kind 2) or T4 (kind 4), in table order, each followed by a line feed, written
 * at `at`; returns their bytes.
 */
export function writeSequences(kind: i32, at: i32): i32 {
  let o = at;
  if (kind == 2) {
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail == 0x7f) continue;
        store<u8>(o, lead);
        store<u8>(o + 1, trail);
        store<u8>(o + 2, 0x0a);
        o += 3;
      }
    }
  } else {
    for (let a = 0x81; a <= 0x84; a++) {
      for (let b = 0x30; b <= 0x39; b++) {
        for (let c = 0x81; c <= 0xfe; c++) {
          for (let d = 0x30; d <= 0x39; d++) {
            store<u8>(o, a);
            store<u8>(o + 1, b);
            store<u8>(o + 2, c);
            store<u8>(o + 3, d);
            store<u8>(o + 4, 0x0a);
            o += 5;
          }
        }
      }
    }
  }
  return o - at;
}

/**
 * Reads the bytes at IN from `from` to `n` and writes their text as UTF-8 at `out` (room for 3 bytes a byte read).
 * Returns the bytes written; R_CONSUMED: where it stopped reading (all but an incomplete sequence at the end, or at
 * the sequence without an answer), R_STATUS: DONE or UNKNOWN.
 */
export function transcode(from: i32, n: i32, out: i32): i32 {
  const end = IN + n;
  const supplementary = load<i32>(P_SUPPLEMENTARY) != 0;
  let p = IN + from;
  let o = out;
  let status = DONE;
  while (p < end) {
    // Sixteen ASCII bytes at a time.
    if (p + 16 <= end) {
      const v = v128.load(p);
      if (i8x16.bitmask(v) == 0) {
        v128.store(o, v);
        p += 16;
        o += 16;
        continue;
      }
    }
    const b = load<u8>(p) as i32;
    if (b < 0x80) {
      store<u8>(o, b as u8);
      p++;
      o++;
      continue;
    }
    if (b == 0x80 || b == 0xff) {
      const cp = load<u16>(T1 + ((b - 0x80) << 1)) as u32;
      if (cp == 0) {
        status = UNKNOWN;
        break;
      }
      o += utf8(o, cp);
      p++;
      continue;
    }
    if (p + 1 >= end) break; // the trail is in the next bytes
    const b2 = load<u8>(p + 1) as i32;
    let cp: u32 = 0;
    let len = 2;
    if (b2 >= 0x30 && b2 <= 0x39) {
      // A four-byte sequence. Cut by the end of the bytes, it is left for the next ones only while what there is of it
      // may still be one (TextDecoder too rejects a wrong byte as soon as it comes).
      if (p + 2 >= end) break;
      const b3 = load<u8>(p + 2) as i32;
      if (b3 < 0x81 || b3 > 0xfe) {
        status = UNKNOWN;
        break;
      }
      if (p + 3 >= end) break;
      len = 4;
      const b4 = load<u8>(p + 3) as i32;
      if (b4 >= 0x30 && b4 <= 0x39) {
        const pointer = ((b - 0x81) * 10 + (b2 - 0x30)) * 1260 + (b3 - 0x81) * 10 + (b4 - 0x30);
        if (pointer < T4_ENTRIES) cp = load<u16>(T4 + (pointer << 1)) as u32;
        else if (supplementary && pointer >= SUPPLEMENTARY_FIRST && pointer <= SUPPLEMENTARY_LAST) cp = (0x10000 + pointer - SUPPLEMENTARY_FIRST) as u32;
      }
    } else if ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe)) {
      cp = load<u16>(T2 + (((b - 0x81) * 190 + (b2 < 0x7f ? b2 - 0x40 : b2 - 0x41)) << 1)) as u32;
    }
    if (cp == 0) {
      status = UNKNOWN;
      break;
    }
    o += utf8(o, cp);
    p += len;
  }
  store<i32>(R_CONSUMED, p - IN);
  store<i32>(R_STATUS, status);
  return o - out;
}

// A GB18030 encoder without dependencies. Node's TextEncoder only writes UTF-8, but its TextDecoder (full ICU) reads
// GB18030; the encoding table is built once, lazily, by decoding every two-byte code and every four-byte code of the
// Basic Multilingual Plane. Characters outside the BMP follow the standard's linear four-byte mapping.

let table: Map<number, number> | undefined; // code point → bytes packed as (b1<<24|b2<<16|b3<<8|b4) or (b1<<8|b2)

function buildTable(): Map<number, number> {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const decode = (bytes: Uint8Array): string => {
    try {
      return decoder.decode(bytes);
    } catch {
      return ''; // not a valid code
    }
  };
  const map = new Map<number, number>();
  // Four-byte BMP codes first, so that a two-byte code for the same character wins below.
  const fours: number[] = [];
  for (let b1 = 0x81; b1 <= 0x84; b1++)
    for (let b2 = 0x30; b2 <= 0x39; b2++)
      for (let b3 = 0x81; b3 <= 0xfe; b3++)
        for (let b4 = 0x30; b4 <= 0x39; b4++) fours.push(((b1 << 24) | (b2 << 16) | (b3 << 8) | b4) >>> 0);
  for (const packed of fours) {
    const bytes = Uint8Array.of(packed >>> 24, (packed >>> 16) & 0xff, (packed >>> 8) & 0xff, packed & 0xff);
    const s = decode(bytes);
    if (s.length === 1) map.set(s.charCodeAt(0), packed);
  }
  for (let b1 = 0x81; b1 <= 0xfe; b1++) {
    for (let b2 = 0x40; b2 <= 0xfe; b2++) {
      if (b2 === 0x7f) continue;
      const s = decode(Uint8Array.of(b1, b2));
      if (s.length === 1) map.set(s.charCodeAt(0), (b1 << 8) | b2);
    }
  }
  return map;
}

const NON_ASCII = /[^\x00-\x7f]+/g;
const runCache = new Map<string, Buffer>(); // encoded non-ASCII runs (住院, 职工…): claims files repeat a few words
const RUN_CACHE_LIMIT = 4096;

/** Encodes a string as GB18030 bytes. ASCII passes through; a lone surrogate becomes '?'. */
export function encodeGb18030(text: string): Buffer {
  // Mostly-ASCII text: copy ASCII stretches as they are and encode each distinct non-ASCII run once.
  const out = Buffer.allocUnsafe(text.length * 4);
  let n = 0;
  let from = 0;
  const re = new RegExp(NON_ASCII);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > from) n += out.write(text.slice(from, m.index), n, 'latin1');
    const run = m[0];
    let bytes = runCache.get(run);
    if (bytes === undefined) {
      bytes = encodeRun(run);
      if (runCache.size < RUN_CACHE_LIMIT) runCache.set(run, bytes);
    }
    n += bytes.copy(out, n);
    from = m.index + run.length;
  }
  if (from < text.length) n += out.write(text.slice(from), n, 'latin1');
  return out.subarray(0, n);
}

function encodeRun(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 4);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        let idx = ((c - 0xd800) << 10) + (lo - 0xdc00); // code point − 0x10000
        i++;
        const b4 = 0x30 + (idx % 10);
        idx = Math.floor(idx / 10);
        const b3 = 0x81 + (idx % 126);
        idx = Math.floor(idx / 126);
        const b2 = 0x30 + (idx % 10);
        const b1 = 0x90 + Math.floor(idx / 10);
        out[n++] = b1;
        out[n++] = b2;
        out[n++] = b3;
        out[n++] = b4;
        continue;
      }
    }
    table ??= buildTable();
    const packed = table.get(c);
    if (packed === undefined) {
      out[n++] = 0x3f; // '?'
    } else if (packed > 0xffff) {
      out[n++] = packed >>> 24;
      out[n++] = (packed >>> 16) & 0xff;
      out[n++] = (packed >>> 8) & 0xff;
      out[n++] = packed & 0xff;
    } else {
      out[n++] = packed >>> 8;
      out[n++] = packed & 0xff;
    }
  }
  return out.subarray(0, n);
}

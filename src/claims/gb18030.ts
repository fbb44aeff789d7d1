// GB18030 → UTF-8 for CsvText: wasm/gb18030.ts (AssemblyScript, compiled to dist/claims/gb18030.wasm) with tables
// filled from TextDecoder's own answers, so that it reads every sequence as TextDecoder('gb18030') does (Node's,
// from ICU: 0x80 is €, 0xA3A0 is U+3000 — not quite the WHATWG tables). Chinese Excel saves CSV files in GB18030:
// decoding them with TextDecoder and encoding the string again as UTF-8 cost the reader thread ≈ 0.45 s for 1M
// rows, more than reading the records.
//
// A sequence the tables hold no answer for (not GB18030, or mapped to U+FFFD, which TextDecoder also writes for
// bytes it cannot read) stops it: from there on CsvText reads the file with TextDecoder, which says whether the
// bytes are GB18030. test/claims/gb18030.test.ts holds it equal to TextDecoder on every sequence and on random bytes.
import { compiledWasm } from '../lib/wasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  t1Base(): number;
  t2Base(): number;
  t4Base(): number;
  inBase(): number;
  setSupplementary(on: number): void;
  writeSequences(kind: number, at: number): number;
  transcode(from: number, n: number, out: number): number;
}

const R_CONSUMED = 0;
const R_STATUS = 1;
const UNKNOWN = 1;
const PAGE = 65536;
const T4_ENTRIES = 4 * 10 * 126 * 10;

/** Where the compiled module lies: beside this file once built, or in dist/ when this runs from the sources. */
const LOCATIONS = [new URL('./gb18030.wasm', import.meta.url), new URL('../../dist/claims/gb18030.wasm', import.meta.url)];

/** The compiled module, or undefined when it is not built or YIBAO_CSV_WASM=never (then TextDecoder reads). */
export function loadGb18030(): WebAssembly.Module | undefined {
  return compiledWasm(LOCATIONS);
}

/** What `transcode` read. */
export interface Transcoded {
  /** The text as UTF-8: a view of the module's memory, valid until the next call. */
  utf8: Uint8Array;
  /** The bytes read (`input` then `more`), likewise a view of the module's memory. */
  input: Uint8Array;
  /** Bytes of the input read: all but an incomplete sequence at its end, or up to a sequence without an answer. */
  consumed: number;
  /** The sequence at `consumed` has no answer in the tables: TextDecoder reads from there. */
  unknown: boolean;
}

/**
 * Fills table `kind` (1: the bytes 0x80 and 0xFF alone, 2: the two-byte sequences, 4: the four-byte sequences of
 * the Basic Multilingual Plane) with TextDecoder's answer for each sequence: the one UTF-16 unit it reads the
 * sequence as, or 0 (an error, U+FFFD, more than one unit). The sequences are decoded without `fatal`, each followed
 * by a line feed, which no sequence can take as one of its bytes; false when the lines do not come out one per
 * sequence (then the table is left empty: every sequence of it goes to TextDecoder). The sequences are written at
 * `at` (memory grows as needed).
 */
function fillTable(x: Exports, kind: 1 | 2 | 4, at: number): boolean {
  const need = at + T4_ENTRIES * 5;
  if (need > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((need - x.memory.buffer.byteLength) / PAGE));
  const u8 = new Uint8Array(x.memory.buffer);
  let bytes: number;
  if (kind === 1) {
    u8.set([0x80, 0x0a, 0xff, 0x0a], at);
    bytes = 4;
  } else bytes = x.writeSequences(kind, at);
  const text = new TextDecoder('gb18030').decode(u8.subarray(at, at + bytes));
  const count = bytes / (kind + 1);
  const answer = new Uint16Array(count);
  let i = 0;
  for (let k = 0; k < count; k++) {
    const lf = text.indexOf('\n', i);
    if (lf < 0) return false;
    const u = lf === i + 1 ? text.charCodeAt(i) : 0;
    answer[k] = u === 0xfffd || (u >= 0xd800 && u <= 0xdfff) ? 0 : u;
    i = lf + 1;
  }
  if (i !== text.length) return false;
  const u16 = new Uint16Array(x.memory.buffer);
  if (kind === 1) {
    u16[x.t1Base() / 2] = answer[0];
    u16[x.t1Base() / 2 + 127] = answer[1];
  } else u16.set(answer, (kind === 2 ? x.t2Base() : x.t4Base()) / 2);
  return true;
}

/** Whether TextDecoder reads the supplementary planes' four-byte sequences as the standard's linear range. */
function linearSupplementary(): boolean {
  const fatal = new TextDecoder('gb18030', { fatal: true });
  const first = 189000;
  const last = first + 0x10ffff - 0x10000;
  for (let i = 0; i <= 64; i++) {
    const pointer = first + Math.floor(((last - first) * i) / 64);
    const bytes = Uint8Array.from([
      0x81 + Math.floor(pointer / 12600),
      0x30 + (Math.floor(pointer / 1260) % 10),
      0x81 + (Math.floor(pointer / 10) % 126),
      0x30 + (pointer % 10),
    ]);
    let text: string;
    try {
      text = fatal.decode(bytes);
    } catch {
      return false;
    }
    if (text.codePointAt(0) !== 0x10000 + pointer - first || text.length !== 2) return false;
  }
  return true;
}

/**
 * One instance of the module with its tables (filled in a few milliseconds; the four-byte table, which Chinese text
 * rarely needs, when a file first holds such a sequence): the caller keeps it for the files it reads.
 */
export class Gb18030Transcoder {
  private readonly inAt: number;
  private fourByteTable = false;
  private readonly result: Transcoded = { utf8: new Uint8Array(0), input: new Uint8Array(0), consumed: 0, unknown: false };

  private constructor(private readonly x: Exports) {
    this.inAt = x.inBase();
  }

  /** Undefined when TextDecoder's answers could not be had: then TextDecoder reads every GB18030 file. */
  static create(module: WebAssembly.Module): Gb18030Transcoder | undefined {
    const x = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('gb18030: abort'); } } }).exports as unknown as Exports;
    if (!fillTable(x, 1, x.inBase()) || !fillTable(x, 2, x.inBase())) return undefined;
    x.setSupplementary(linearSupplementary() ? 1 : 0);
    return new Gb18030Transcoder(x);
  }

  /**
   * Reads `input` then `more` (a file's bytes the last call left unread, then its next ones: both are copied into the
   * module, one after the other) as far as it can.
   */
  transcode(input: Uint8Array, more: Uint8Array = new Uint8Array(0)): Transcoded {
    const n = input.length + more.length;
    const outAt = this.inAt + n + 16; // (the module writes 16 ASCII bytes at a time)
    const need = outAt + 3 * n + 16;
    if (need > this.x.memory.buffer.byteLength) this.x.memory.grow(Math.ceil((need - this.x.memory.buffer.byteLength) / PAGE));
    const memory = new Uint8Array(this.x.memory.buffer);
    memory.set(input, this.inAt);
    memory.set(more, this.inAt + input.length);
    let from = 0;
    let out = outAt;
    let status: number;
    for (;;) {
      out += this.x.transcode(from, n, out);
      const r = new Int32Array(this.x.memory.buffer, 0, 2);
      from = r[R_CONSUMED];
      status = r[R_STATUS];
      if (status !== UNKNOWN || this.fourByteTable || !fourByteBmp(new Uint8Array(this.x.memory.buffer, this.inAt, n), from)) break;
      // The first four-byte sequence of the Basic Multilingual Plane: its table now (its sequences written past the
      // text so far), then on from it.
      this.fourByteTable = true;
      fillTable(this.x, 4, Math.ceil(need / 16) * 16);
    }
    const res = this.result;
    res.utf8 = new Uint8Array(this.x.memory.buffer, outAt, out - outAt);
    res.input = new Uint8Array(this.x.memory.buffer, this.inAt, n);
    res.consumed = from;
    res.unknown = status === UNKNOWN;
    return res;
  }
}

/** Whether input[at …] starts a four-byte sequence of the table T4 (0x81–0x84, then 0x30–0x39). */
function fourByteBmp(input: Uint8Array, at: number): boolean {
  return at + 1 < input.length && input[at] >= 0x81 && input[at] <= 0x84 && input[at + 1] >= 0x30 && input[at + 1] <= 0x39;
}

/**
 * A transcoder made on first use (the module compiled, its tables filled) and kept for the files read after: the
 * caller (the importer, the reader thread) holds one for the files it reads.
 */
export function gb18030Once(): () => Gb18030Transcoder | undefined {
  let made: Gb18030Transcoder | undefined | null = null;
  return () => {
    if (made === null) {
      const m = loadGb18030();
      made = m === undefined ? undefined : Gb18030Transcoder.create(m);
    }
    return made;
  };
}

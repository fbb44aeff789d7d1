// Byte-level scanners for the two XML parts of an XLSX file that grow with the rows: a worksheet (xl/worksheets/…)
// and the shared-string table (xl/sharedStrings.xml). Both take the inflated bytes chunk by chunk as they come out
// of the zip; an element cut by a chunk boundary is carried over and scanned again whole, so a Chinese character
// split across chunks is never decoded in halves.
//
// Why bytes, not text: most of a sheet's bytes are markup (`<c r="C2" t="str"><v>居民</v></c>`); decoding all of it
// to a JS string (a two-byte string as soon as one CJK character is in a chunk) costs more than inflating it. Here
// the markup is walked byte by byte with no string made, and only cell values are decoded — short ones through a
// small cache keyed by their bytes, so 居民/住院/否/dates/member codes are decoded once per file, not once per row.
// No object is allocated per cell and one cells array is reused for every row (TableSink.row must not keep it).
//
// What is read, as Excel and other writers store it: cells with or without r="B7" (without: the next column),
// t = s (shared string) | str | inlineStr (<is> with <t> runs, rich text runs concatenated, phonetic <rPh> runs
// dropped) | b | e | d | n or none (a number as Excel shows it; in the date column an Excel serial → YYYY-MM-DD);
// <f> formulas are skipped (their cached <v> is the value); XML entities (&amp; &#20013; &#x4E2D;) and OOXML's
// _xHHHH_ escapes in text. Namespace-prefixed element names (<x:row>) and comments are not read, as before.
import { excelSerialToDate } from './fields.js';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;
const AMP = 0x26;
const UNDERSCORE = 0x5f;
const CH_c = 0x63;
const CH_h = 0x68;
const CH_i = 0x69;
const CH_o = 0x6f;
const CH_P = 0x50;
const CH_r = 0x72;
const CH_s = 0x73;
const CH_t = 0x74;
const CH_v = 0x76;
const CH_w = 0x77;

/** Excel's last column (XFD), as a 0-based index; cells beyond it are ignored. */
const MAX_COLUMN = 16383;

/** Whether a byte ends an element name: whitespace, '>' or '/'. */
function endsName(c: number): boolean {
  return c === GT || c === SLASH || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

// ----- XML text -----

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character and entity references, then OOXML's _xHHHH_ escapes (control characters in cell text). */
export function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s.indexOf('_x') < 0 ? s : unescapeOoxml(s);
  const out = s.replace(ENTITY, (_m, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name];
    const cp = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
  return out.indexOf('_x') < 0 ? out : unescapeOoxml(out);
}

function unescapeOoxml(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** An Excel number as Excel displays it (15 significant digits): 0.30000000000000004 → "0.3". */
export function numberText(v: string): string {
  // At most 15 characters: at most 15 significant digits, already what Excel shows (unless in exponent form).
  if (v.length <= 15 && v.indexOf('E') < 0 && v.indexOf('e') < 0) return v;
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  const s = String(Number(n.toPrecision(15)));
  return /e/i.test(s) ? v : s;
}

// Buffer's own decoders (what buf.toString(encoding, start, end) calls after checking its arguments).
type Slices = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

const CACHE_SLOTS = 16384; // a power of two
const CACHE_BYTES = 24; // texts up to this many bytes are cached

/**
 * Decodes UTF-8 byte ranges to strings. Texts of at most CACHE_BYTES bytes go through a direct-mapped cache keyed by
 * their bytes (a slot is simply overwritten on a miss), so a value repeated down a column is decoded once.
 */
class TextCache {
  private readonly keys = new Uint8Array(CACHE_SLOTS * CACHE_BYTES);
  private readonly lens = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly vals: string[] = new Array<string>(CACHE_SLOTS).fill('');
  /** Whether the last text decoded holds '&' or '_' (an entity or an _xHHHH_ escape may need unescaping). */
  escaped = false;

  decode(b: Buffer, s: number, e: number): string {
    let h = 0x811c9dc5;
    let bits = 0;
    let esc = false;
    for (let i = s; i < e; i++) {
      const c = b[i];
      h = Math.imul(h ^ c, 0x01000193);
      bits |= c;
      if (c === AMP || c === UNDERSCORE) esc = true;
    }
    this.escaped = esc;
    const len = e - s;
    if (len === 0) return '';
    if (len > CACHE_BYTES) return bits >= 0x80 ? (b as Slices).utf8Slice(s, e) : (b as Slices).latin1Slice(s, e);
    const slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
    const at = slot * CACHE_BYTES;
    const keys = this.keys;
    if (this.lens[slot] === len) {
      let k = 0;
      while (k < len && keys[at + k] === b[s + k]) k++;
      if (k === len) return this.vals[slot];
    }
    const text = bits >= 0x80 ? (b as Slices).utf8Slice(s, e) : (b as Slices).latin1Slice(s, e);
    for (let k = 0; k < len; k++) keys[at + k] = b[s + k];
    this.lens[slot] = len;
    this.vals[slot] = text;
    return text;
  }
}

// Cell types (the t attribute).
const T_NUMBER = 0; // n, absent, or one we do not know
const T_SHARED = 1; // s
const T_STR = 2; // str (a formula's text result)
const T_INLINE = 3; // inlineStr
const T_BOOL = 4; // b
const T_ERROR = 5; // e
const T_DATE = 6; // d (ISO 8601 text)

function cellType(b: Buffer, s: number, e: number): number {
  const len = e - s;
  const c = b[s];
  if (len === 1) {
    if (c === CH_s) return T_SHARED;
    if (c === 0x62) return T_BOOL;
    if (c === 0x65) return T_ERROR;
    if (c === 0x64) return T_DATE;
    return T_NUMBER;
  }
  if (len === 3 && c === CH_s && b[s + 1] === CH_t && b[s + 2] === CH_r) return T_STR;
  if (len === 9 && c === CH_i && b.toString('latin1', s, e) === 'inlineStr') return T_INLINE;
  return T_NUMBER;
}

/** A row reference r="12": its number, or -1 when it is not all digits. */
function rowRef(b: Buffer, s: number, e: number): number {
  if (s === e) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = b[i] - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** A cell reference r="AB12": its 0-based column, or -1 when it is not capital letters and digits. */
function columnRef(b: Buffer, s: number, e: number): number {
  let n = 0;
  let i = s;
  for (; i < e; i++) {
    const c = b[i];
    if (c < 0x41 || c > 0x5a) break;
    if (n <= MAX_COLUMN + 1) n = n * 26 + (c - 0x40);
  }
  if (i === s) return -1;
  for (let j = i; j < e; j++) if (b[j] < 0x30 || b[j] > 0x39) return -1;
  return n - 1;
}

/**
 * The walk shared by both parts: a start tag's attributes, skipping elements, and the <t> runs of rich text.
 * Every method returns -1 when the bytes end before what it scans does (the caller carries the element over).
 */
abstract class XmlBytes {
  protected readonly texts = new TextCache();
  /** The bytes of an element cut by the end of the last chunk, from its '<'. */
  protected carry: Buffer | undefined;
  /** The consumer asked to stop: nothing more is scanned. */
  stopped = false;

  /** The repeated element's name ("row", "si"). */
  private readonly name: Buffer;
  /** Its end tag ("</row>"): a carried element ends at its first one in the next chunk. */
  private readonly endTag: Buffer;

  constructor(name: string) {
    this.name = Buffer.from(name, 'latin1');
    this.endTag = Buffer.from(`</${name}>`, 'latin1');
  }

  /**
   * Reads one repeated element from just after its name (`from`); returns the index after it, or -1 when the bytes
   * end first.
   */
  protected abstract element(b: Buffer, from: number, n: number): number;

  /** Scans whole elements from the start of `b`; returns the index of the first byte not consumed. */
  private scan(b: Buffer): number {
    const n = b.length;
    const nameEnd = 1 + this.name.length;
    let p = 0;
    for (;;) {
      const i = this.nextElement(b, p, n);
      if (i < 0) return -1 - i;
      const end = this.element(b, i + nameEnd, n);
      if (end < 0) return i;
      p = end;
      if (this.stopped) return p;
    }
  }

  /**
   * Where the next repeated element starts at or after p: the index of its '<'; when the bytes end before one can be
   * told, -1 - (where to resume: the '<' that may start one, or n).
   */
  private nextElement(b: Buffer, p: number, n: number): number {
    const name = this.name;
    const len = name.length;
    for (;;) {
      let i = p;
      while (i < n && b[i] !== LT) i++;
      if (i + len + 1 >= n) return -1 - Math.min(i, n);
      let k = 0;
      while (k < len && b[i + 1 + k] === name[k]) k++;
      if (k === len && endsName(b[i + 1 + len])) return i;
      p = i + 1;
    }
  }

  /** Whether `c` (from a '<') starts the repeated element, or could once more bytes come. */
  protected startsElement(c: Buffer): boolean {
    const len = this.name.length;
    if (c.length < len + 1) return false;
    for (let k = 0; k < len; k++) if (c[1 + k] !== this.name[k]) return false;
    return c.length === len + 1 || endsName(c[1 + len]);
  }

  /**
   * Scans a chunk. A carried element is completed with the next chunk's bytes up to the first end tag and scanned
   * on its own, so the chunk itself is never copied.
   */
  protected feed(chunk: Buffer): void {
    let b = chunk;
    if (this.carry !== undefined) {
      const close = chunk.indexOf(this.endTag);
      const headEnd = close < 0 ? chunk.length : close + this.endTag.length;
      const head = Buffer.concat([this.carry, chunk.subarray(0, headEnd)]);
      this.carry = undefined;
      const p = this.scan(head);
      if (this.stopped) return;
      b = p < head.length ? Buffer.concat([head.subarray(p), chunk.subarray(headEnd)]) : chunk.subarray(headEnd);
    }
    const p = this.scan(b);
    this.carry = p < b.length && !this.stopped ? b.subarray(p) : undefined;
  }
  /** Set by `startTag`/`skipTag`: the tag ended with "/>". */
  protected selfClosing = false;
  /** Set by `startTag`: the r attribute (row number or column index; -1 when absent) and the t attribute. */
  protected ref = -1;
  protected type = T_NUMBER;
  /** Set by `content`: the text of the <t> runs, whether any was seen, and the first <v>'s byte range. */
  protected runText = '';
  protected runs = 0;
  protected escapedRuns = false;
  protected vStart = -1;
  protected vEnd = -1;

  /**
   * Reads a start tag's attributes from `i` (just after its name) through '>'; returns the index after it.
   * (Bytes up to 0x20 count as white space: the others below it are not allowed in XML.)
   */
  protected startTag(b: Buffer, i: number, n: number, cell: boolean): number {
    this.ref = -1;
    this.type = T_NUMBER;
    if (cell && i + 12 < n && b[i] === 0x20 && b[i + 1] === CH_r && b[i + 2] === EQ && b[i + 3] === QUOT) {
      // the usual first attribute, r="AB12", read in one pass (else as any other attribute below)
      let j = i + 4;
      let col = 0;
      let c = b[j];
      while (c >= 0x41 && c <= 0x5a && col <= MAX_COLUMN + 1 && j + 1 < n) {
        col = col * 26 + (c - 0x40);
        c = b[++j];
      }
      while (c >= 0x30 && c <= 0x39 && j + 1 < n) c = b[++j];
      if (c === QUOT && col > 0) {
        this.ref = col - 1;
        i = j + 1;
      }
    }
    for (;;) {
      if (i >= n) return -1;
      const c = b[i];
      if (c <= 0x20) {
        i++;
        continue;
      }
      if (c === GT) {
        this.selfClosing = false;
        return i + 1;
      }
      if (c === SLASH) {
        if (i + 1 >= n) return -1;
        if (b[i + 1] === GT) {
          this.selfClosing = true;
          return i + 2;
        }
        i++;
        continue;
      }
      // the attribute's name: only the one-letter names r and t matter
      const nameStart = i;
      let d = c;
      while (d !== EQ && d > 0x20 && d !== GT && d !== SLASH) {
        if (++i >= n) return -1;
        d = b[i];
      }
      const oneLetter = i - nameStart === 1;
      while (d <= 0x20) {
        if (++i >= n) return -1;
        d = b[i];
      }
      if (d !== EQ) continue;
      do {
        if (++i >= n) return -1;
        d = b[i];
      } while (d <= 0x20);
      if (d !== QUOT && d !== APOS) continue;
      const vs = ++i;
      while (i < n && b[i] !== d) i++;
      if (i >= n) return -1;
      if (oneLetter) {
        if (c === CH_r) this.ref = cell ? columnRef(b, vs, i) : rowRef(b, vs, i);
        else if (c === CH_t && cell) this.type = cellType(b, vs, i);
      }
      i++;
    }
  }

  /** Skips a tag from `i` (inside it) through its '>' (quoted attribute values may hold '>'). */
  protected skipTag(b: Buffer, i: number, n: number): number {
    let q = 0;
    for (; i < n; i++) {
      const c = b[i];
      if (q !== 0) {
        if (c === q) q = 0;
      } else if (c === GT) {
        this.selfClosing = b[i - 1] === SLASH;
        return i + 1;
      } else if (c === QUOT || c === APOS) q = c;
    }
    return -1;
  }

  /** Set by `textStart`: where the text ends (the '<' after it). */
  private textEnd = -1;

  /**
   * From inside a <v> or <t> start tag (`i`): where its text starts, with `textEnd` where it ends (the same place
   * when the tag is self-closing: `selfClosing`); -1 when the bytes end first.
   */
  private textStart(b: Buffer, i: number, n: number): number {
    const s = this.skipTag(b, i, n);
    if (s < 0) return -1;
    let e = s;
    if (!this.selfClosing) {
      while (e < n && b[e] !== LT) e++;
      if (e >= n) return -1;
    }
    this.textEnd = e;
    return s;
  }

  /**
   * Scans an element's content from `i` to its end tag (</c> for a cell, </si> for a shared string), noting the
   * first <v>'s bytes and the text of the <t> runs outside phonetic <rPh> runs. Returns the index after the end tag.
   */
  protected content(b: Buffer, i: number, n: number, cell: boolean): number {
    this.vStart = -1;
    this.vEnd = -1;
    this.runs = 0;
    this.runText = '';
    this.escapedRuns = false;
    for (;;) {
      while (i < n && b[i] !== LT) i++;
      if (i + 3 >= n) return -1;
      const c1 = b[i + 1];
      if (c1 === SLASH) {
        // </c> or </si> ends the element; other end tags (</v>, </is>, </r>) are skipped
        if (cell ? b[i + 2] === CH_c && endsName(b[i + 3]) : b[i + 2] === CH_s && b[i + 3] === CH_i && i + 4 < n && endsName(b[i + 4])) {
          return this.skipTag(b, i + 3, n);
        }
        i = this.skipTag(b, i + 2, n);
      } else if (c1 === CH_v && cell && endsName(b[i + 2])) {
        const s = this.textStart(b, i + 2, n);
        if (s < 0) return -1;
        i = this.textEnd;
        if (this.selfClosing || this.vStart >= 0) continue;
        this.vStart = s;
        this.vEnd = i;
      } else if (c1 === CH_t && endsName(b[i + 2])) {
        const s = this.textStart(b, i + 2, n);
        if (s < 0) return -1;
        i = this.textEnd;
        if (this.selfClosing) continue;
        const run = this.texts.decode(b, s, i);
        this.escapedRuns ||= this.texts.escaped;
        this.runText = this.runs++ === 0 ? run : this.runText + run;
      } else if (c1 === CH_r && b[i + 2] === CH_P && b[i + 3] === CH_h && i + 4 < n && endsName(b[i + 4])) {
        i = this.skipPhonetic(b, i + 4, n);
      } else {
        i = this.skipTag(b, i + 1, n);
      }
      if (i < 0) return -1;
    }
  }

  /** Skips a phonetic run <rPh …>…</rPh> from inside its start tag. */
  private skipPhonetic(b: Buffer, i: number, n: number): number {
    for (;;) {
      while (i < n && b[i] !== LT) i++;
      if (i + 5 >= n) return -1;
      if (b[i + 1] === SLASH && b[i + 2] === CH_r && b[i + 3] === CH_P && b[i + 4] === CH_h && endsName(b[i + 5])) return this.skipTag(b, i + 5, n);
      i++;
    }
  }

  /** The text of the runs just scanned, entities resolved. */
  protected richText(): string {
    return this.escapedRuns ? unescapeXml(this.runText) : this.runText;
  }
}

/**
 * Feeds on xl/sharedStrings.xml: every <si> item's text, in order, is appended to `strings` (the table that
 * t="s" cells index).
 */
export class SharedStringsScanner extends XmlBytes {
  constructor(private readonly strings: string[]) {
    super('si');
  }

  push(chunk: Buffer): void {
    this.feed(chunk);
  }

  protected element(b: Buffer, from: number, n: number): number {
    let end = this.skipTag(b, from, n);
    const empty = this.selfClosing; // <si/>
    if (end >= 0 && !empty) end = this.content(b, end, n, false);
    if (end >= 0) this.strings.push(empty ? '' : this.richText());
    return end;
  }
}

export interface SheetRows {
  /** The shared-string table. */
  readonly strings: readonly string[];
  readonly date1904: boolean;
  /** The column whose numbers are Excel date serials (-1: none); asked once per row. */
  readonly dateColumn: () => number;
  /**
   * A row with at least one non-empty cell: its number and its cells' texts (the array is reused for the next row).
   * Return false to stop.
   */
  readonly onRow: (rowNo: number, cells: string[]) => boolean;
}

/** Feeds on a worksheet's XML; calls `onRow` for every non-empty row of <sheetData>. */
export class SheetScanner extends XmlBytes {
  private readonly cells: string[] = [];
  private readonly dates = new Map<string, string>();
  /** The number of the row after the last one read (rows without r= take it). */
  nextRow = 1;

  constructor(private readonly sheet: SheetRows) {
    super('row');
  }

  /** Scans a chunk; returns false once the consumer has stopped. */
  push(chunk: Buffer): boolean {
    if (this.stopped) return false;
    this.feed(chunk);
    return !this.stopped;
  }

  protected element(b: Buffer, from: number, n: number): number {
    return this.row(b, from, n);
  }

  /** At the end of the part: whether it ended inside a row (a truncated sheet). */
  get truncated(): boolean {
    const c = this.carry;
    return !this.stopped && c !== undefined && this.startsElement(c);
  }

  /** Reads one <row> from just after its name; returns the index after </row>, or -1 when the bytes end first. */
  private row(b: Buffer, i: number, n: number): number {
    i = this.startTag(b, i, n, false);
    if (i < 0) return -1;
    const rowNo = this.ref >= 0 ? this.ref : this.nextRow;
    if (this.selfClosing) {
      this.nextRow = rowNo + 1;
      return i;
    }
    const cells = this.cells;
    const dateCol = this.sheet.dateColumn();
    let len = 0;
    let next = 0; // the column of a cell without r=
    let any = false;
    for (;;) {
      while (i < n && b[i] !== LT) i++;
      if (i + 5 >= n) return -1;
      const c1 = b[i + 1];
      if (c1 === CH_c && endsName(b[i + 2])) {
        i = this.startTag(b, i + 2, n, true);
        if (i < 0) return -1;
        const col = this.ref >= 0 ? this.ref : next;
        next = col + 1;
        if (this.selfClosing) continue;
        const type = this.type;
        i = b[i] === LT && b[i + 1] === CH_v && b[i + 2] === GT ? this.plainValue(b, i, n) : this.content(b, i, n, true);
        if (i < 0) return -1;
        if (col > MAX_COLUMN) continue;
        const value = this.value(b, type, col === dateCol);
        if (value === undefined) continue;
        if (col >= len) {
          while (len < col) cells[len++] = '';
          cells[len++] = value;
        } else cells[col] = value;
        if (value !== '') any = true;
      } else if (c1 === SLASH && b[i + 2] === CH_r && b[i + 3] === CH_o && b[i + 4] === CH_w && endsName(b[i + 5])) {
        i = this.skipTag(b, i + 5, n);
        if (i < 0) return -1;
        break;
      } else {
        i = this.skipTag(b, i + 1, n);
        if (i < 0) return -1;
      }
    }
    cells.length = len;
    this.nextRow = rowNo + 1;
    if (any && !this.sheet.onRow(rowNo, cells)) this.stopped = true;
    return i;
  }

  /**
   * The usual cell content, <v>…</v></c>, read directly (else as `content` reads it); returns the index after </c>.
   */
  private plainValue(b: Buffer, i: number, n: number): number {
    let j = i + 3;
    while (j < n && b[j] !== LT) j++;
    if (j + 7 >= n) return -1;
    if (b[j + 1] !== SLASH || b[j + 2] !== CH_v || b[j + 3] !== GT || b[j + 4] !== LT || b[j + 5] !== SLASH || b[j + 6] !== CH_c || b[j + 7] !== GT) {
      return this.content(b, i, n, true);
    }
    this.vStart = i + 3;
    this.vEnd = j;
    this.runs = 0;
    this.runText = '';
    this.escapedRuns = false;
    return j + 8;
  }

  /** The text of the cell just scanned, or undefined when it holds no value. */
  private value(b: Buffer, type: number, inDateColumn: boolean): string | undefined {
    if (type === T_INLINE) return this.richText();
    const s = this.vStart;
    if (s < 0) return undefined;
    const e = this.vEnd;
    const texts = this.texts;
    switch (type) {
      case T_SHARED: {
        let k = 0;
        let i = s;
        for (; i < e && i - s < 15; i++) {
          const d = b[i] - 0x30;
          if (d < 0 || d > 9) break;
          k = k * 10 + d;
        }
        if (i < e) k = Number(texts.decode(b, s, e)); // not plain digits: as Number() reads it
        return this.sheet.strings[k] ?? '';
      }
      case T_STR:
      case T_ERROR: {
        const v = texts.decode(b, s, e);
        return texts.escaped ? unescapeXml(v) : v;
      }
      case T_DATE:
        return texts.decode(b, s, e).slice(0, 10);
      case T_BOOL:
        return texts.decode(b, s, e);
      default: {
        const v = texts.decode(b, s, e);
        if (!inDateColumn) return numberText(v);
        let date = this.dates.get(v);
        if (date === undefined) {
          date = excelSerialToDate(Number(v), this.sheet.date1904) ?? numberText(v);
          if (this.dates.size >= 100_000) this.dates.clear();
          this.dates.set(v, date);
        }
        return date;
      }
    }
  }
}

// Streaming CSV reader: raw bytes → SHA-256 and text (UTF-8 or GB18030, detected or given) → records → a sink.
// Records end at LF, CRLF or a lone CR. Lines without a quote take a fast path; quoted fields (RFC 4180, doubled
// quotes) are read field by field and must close on their own line: no claims column holds a line break, and a
// quote left open would swallow the rows after it. Never throws for bad content: problems become InputErrors.
import { isAscii, isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { Hash } from 'node:crypto';
import { grown } from '../lib/typedArrays.js';
import type { Gb18030Transcoder } from './gb18030.js';
import { msg } from './messages.js';
import type { InputError } from '../domain/types.js';
import type { ErrorSink } from './rows.js';

export type Encoding = 'utf-8' | 'gb18030' | 'auto';

export interface TableSink {
  /**
   * A non-blank record before the header: return true when it is the header, 'next' when it is a title row above
   * the header (the reader offers the next record), false to stop reading this file.
   */
  header(cells: string[], row: number): boolean | 'next';
  /** A data record; `row` as a spreadsheet shows it (header = 1, blank lines counted). Do not keep `cells`. */
  row(cells: string[], row: number): void;
  /**
   * Optional, CSV only: a data record without quotes whose first cell starts with a visible ASCII character, as its
   * raw text. Return true when it was taken; false to have it offered to `row` as cells instead. Do not keep `r`.
   */
  record?(r: RawRecord, row: number): boolean;
  /**
   * Optional, CSV only: takes whole records of `r`'s text from `pos` (of `n` bytes) on in bulk, the first being row
   * `row`, as `record` would take each; sets `taken` to where it stopped and how many it took (none: 0). The records
   * it does not take are offered one by one as usual. Do not keep `r`.
   */
  bulk?(r: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken): void;
}

/** How far `TableSink.bulk` read: `records` records, up to `pos`. */
export interface BulkTaken {
  pos: number;
  records: number;
}

export interface ReadContext {
  readonly file: string; // as shown in errors
  readonly errors: ErrorSink;
  readonly hash?: Hash;
  onBytes(n: number): void;
  /** Something the user should know about how the file was read (another sheet, a header below title rows). */
  notice?(n: { readonly zh: string; readonly en: string }): void;
  /** For a GB18030 file: the transcoder to read it with (the caller keeps one for its files; TextDecoder without). */
  readonly gb18030?: () => Gb18030Transcoder | undefined;
}

/** Bytes read at a time (YIBAO_CHUNK: tests read in tiny chunks so that records straddle them). */
export const CHUNK = Number(process.env.YIBAO_CHUNK ?? 1 << 18);

/** The encoding to use for a chunk starting a file: BOM first, then whether the bytes are valid UTF-8. */
function sniff(chunk: Uint8Array): 'utf-8' | 'gb18030' | undefined {
  if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return 'utf-8';
  if (isAscii(chunk)) return undefined; // all ASCII so far: both encodings agree, decide later
  let high = -1;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] >= 0x80) {
      high = i;
      break;
    }
  }
  if (high < 0) return undefined; // all ASCII so far: both encodings agree, decide later
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(high), { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** What the text of a CSV file holds, in file order (CsvText's output). */
export interface RecordEvents {
  /** A record without quotes, as its raw text and cell boundaries; valid only during the call. */
  record(rec: RawRecord, row: number): void;
  /** A record with quotes (RFC 4180), split into cells. */
  quoted(cells: string[], row: number): void;
  /** A problem in the text (an open quote, text after a closing quote, bytes not in the encoding). */
  error(e: InputError): void;
  /** Optional: takes whole records in bulk (see TableSink.bulk). */
  bulk?(rec: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken): void;
}

/**
 * A CSV file's bytes → its records, chunk by chunk: the encoding (a UTF-8 BOM or valid UTF-8 means UTF-8, anything
 * else GB18030, unless given), the delimiter (comma, or tab when the first line holding either has only tabs), record
 * ends (LF, CRLF or a lone CR) and cell boundaries. No I/O: `push` the file's chunks, then `end`. After an error that
 * ends the reading (an open quote, bytes not in the encoding), or `stop`, further bytes are ignored.
 */
export class CsvText {
  stopped = false;
  private chosen: 'utf-8' | 'gb18030' | undefined;
  private gbDecoder: TextDecoder | undefined;
  /** A GB18030 file's bytes → UTF-8 (gb18030.ts), until a sequence it has no answer for: then gbDecoder reads on. */
  private gbFast: Gb18030Transcoder | undefined;
  /** The bytes gbFast left unread at the end of the last chunk (an incomplete sequence). */
  private gbTail: Uint8Array = new Uint8Array(0);
  // The text being read, as UTF-8 bytes (a GB18030 file is decoded and re-encoded): `len` bytes, of which the first
  // `valid` are known to be whole, valid UTF-8 (the rest: a character cut by the chunk's end, checked with the next).
  private work: Buffer;
  private len = 0;
  private valid = 0;
  private bomChecked = false;
  private row = 0; // records seen, including blank lines
  private delim = ',';
  private delimSeen = false;
  private readonly rec: ChunkRecord;
  private readonly taken: BulkTaken = { pos: 0, records: 0 };

  constructor(
    encoding: Encoding,
    private readonly file: string,
    private readonly events: RecordEvents,
    chunk: number = CHUNK,
    /** For a GB18030 file: the transcoder to read it with (TextDecoder when undefined or none given). */
    private readonly gb18030?: () => Gb18030Transcoder | undefined,
  ) {
    this.chosen = encoding === 'auto' ? undefined : encoding;
    if (this.chosen === 'gb18030') this.startGb();
    this.work = Buffer.allocUnsafe(chunk * 2);
    this.rec = new ChunkRecord(this.work);
  }

  /** Stops reading records (the sink wants no more). */
  stop(): void {
    this.stopped = true;
  }

  /** The next bytes of the file (the caller may reuse `chunk` once this returns). */
  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    // UTF-16 (Excel's "Unicode text"): neither encoding read here; said as such, not as broken GB18030.
    if (this.row === 0 && this.len === 0 && !this.bomChecked && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
      this.events.error(msg.utf16({ file: this.file }));
      this.stopped = true;
      return;
    }
    if (this.gbDecoder !== undefined) {
      if (!this.appendGb(chunk)) return;
    } else {
      if (this.chosen === undefined) {
        const enc = sniff(chunk);
        if (enc === 'gb18030') {
          // Decided now: these bytes are GB18030 text, to be decoded like the rest.
          this.chosen = enc;
          this.startGb();
          if (!this.appendGb(chunk)) return;
          this.process(this.valid, false);
          return;
        }
        if (enc === 'utf-8') this.chosen = enc;
      }
      this.reserve(chunk.length);
      this.work.set(chunk, this.len);
      this.len += chunk.length;
      this.skipBom();
      if (this.chosen === undefined) this.valid = this.len; // all ASCII: the same text in either encoding, decide later
      else if (!this.checkUtf8(false)) return;
    }
    this.process(this.valid, false);
  }

  /** The end of the file: the last record, if it has no line end. */
  end(): void {
    if (this.stopped) return;
    if (this.gbDecoder !== undefined) {
      // An incomplete sequence gbFast left at the end: TextDecoder says what it is.
      if (this.gbFast !== undefined && this.gbTail.length > 0) {
        this.gbFast = undefined;
        if (!this.appendGb(this.gbTail)) return;
      }
      try {
        this.appendText(this.gbDecoder.decode());
      } catch {
        this.encodingError('gb18030');
        return;
      }
    } else if (!this.checkUtf8(true)) return;
    this.process(this.len, true);
  }

  /** The bytes are not `enc` text: said with the first row that can hold them (the rows before it were read). */
  private encodingError(enc: 'utf-8' | 'gb18030'): void {
    this.events.error(msg.encoding({ file: this.file, row: this.row + 1 }, enc));
    this.stopped = true;
  }

  private startGb(): void {
    this.gbDecoder = new TextDecoder('gb18030', { fatal: true });
    this.gbFast = this.gb18030?.();
  }

  /** Decodes a GB18030 chunk into `work` as UTF-8; false (after reporting) when the bytes are not GB18030. */
  private appendGb(chunk: Uint8Array): boolean {
    const fast = this.gbFast;
    if (fast !== undefined) {
      const r = fast.transcode(this.gbTail, chunk);
      if (!r.unknown) {
        this.reserve(r.utf8.length);
        this.work.set(r.utf8, this.len);
        this.len += r.utf8.length;
        this.valid = this.len;
        this.gbTail = r.input.slice(r.consumed); // (a copy: the module's memory is reused, and may grow)
        return true;
      }
      // A sequence it has no answer for: TextDecoder reads the file from this chunk on, as if it had read every chunk
      // (the same text before it, an error in the same chunk, and nothing of a chunk it rejects).
      this.gbFast = undefined;
      this.gbTail = new Uint8Array(0);
      chunk = r.input.slice();
    }
    let text: string;
    try {
      text = (this.gbDecoder as TextDecoder).decode(chunk, { stream: true });
    } catch {
      this.encodingError('gb18030');
      return false;
    }
    this.appendText(text);
    return true;
  }

  private appendText(text: string): void {
    this.reserve(text.length * 3);
    this.len += this.work.write(text, this.len, 'utf8');
    this.valid = this.len;
  }

  /** Makes room for `more` bytes after the first `len` of `work`. */
  private reserve(more: number): void {
    if (this.len + more <= this.work.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.work.length * 2, this.len + more));
    this.work.copy(bigger, 0, 0, this.len);
    this.work = bigger;
  }

  /** Checks the new bytes up to the last whole character; false (after reporting) when they are not UTF-8. */
  private checkUtf8(final: boolean): boolean {
    const upTo = final ? this.len : utf8WholeEnd(this.work, this.valid, this.len);
    if (upTo > this.valid && !isUtf8(this.work.subarray(this.valid, upTo))) {
      this.encodingError('utf-8');
      return false;
    }
    this.valid = upTo;
    return true;
  }

  /** A UTF-8 BOM at the file's start is not text. */
  private skipBom(): void {
    if (this.bomChecked || this.len < 3) return;
    this.bomChecked = true;
    const w = this.work;
    if (w[0] === 0xef && w[1] === 0xbb && w[2] === 0xbf) {
      w.copyWithin(0, 3, this.len);
      this.len -= 3;
      this.valid = Math.max(0, this.valid - 3);
    }
  }

  /** Reads the records in the first `upTo` bytes of `work` and keeps the rest for the next chunk. */
  private process(upTo: number, final: boolean): void {
    const used = this.consume(upTo, final);
    if (used > 0) {
      this.work.copyWithin(0, used, this.len);
      this.len -= used;
      this.valid = Math.max(0, this.valid - used);
    }
  }

  /**
   * Reads the complete records in the first `n` bytes of `work`; returns how many bytes were consumed. At EOF
   * (`final`) consumes everything. No claims column holds a line break, so a quoted field that does not close on its
   * own line is an error naming the row where it opened (an unclosed quote would otherwise swallow the rows after
   * it); reading the file stops there.
   */
  private consume(n: number, final: boolean): number {
    const bytes = this.work;
    const rec = this.rec;
    rec.load(bytes, n);
    if (!this.delimSeen) {
      const text = rec.text;
      // Delimiter: a tab-separated export has tabs and no commas in its first line holding either (title rows above
      // the header usually hold neither).
      for (let from = 0; from < n; ) {
        const end = lineEnd(text, from);
        if (end >= n && !final) break;
        const line = text.slice(from, end);
        if (line.indexOf('\t') >= 0 || line.indexOf(',') >= 0) {
          if (line.indexOf(',') < 0) this.delim = '\t';
          this.delimSeen = true;
          break;
        }
        from = end + 1;
      }
    }
    const delim = this.delim;
    const events = this.events;
    let pos = 0;
    let q = -2; // next quote at or after pos; -1: none left in text
    let lf = -2; // next LF at or after pos; -1: none left
    let cr = -2; // next CR at or after pos; -1: none left
    let d = -2; // next delimiter at or after pos; -1: none left
    const taken = this.taken;
    const delimCode = delim.charCodeAt(0);
    while (pos < n && !this.stopped) {
      if (events.bulk !== undefined) {
        taken.records = 0;
        events.bulk(rec, pos, n, this.row + 1, delimCode, taken);
        if (taken.records > 0) {
          this.row += taken.records;
          pos = taken.pos;
          if (pos >= n) break;
        }
      }
      if (lf !== -1 && lf < pos) lf = byteIndex(bytes, 10, pos, n);
      if (cr !== -1 && cr < pos) cr = byteIndex(bytes, 13, pos, n);
      let end: number; // the record's last character + 1
      let next: number; // where the next record starts
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        if (cr + 1 === lf) next = lf + 1; // CRLF
        else if (cr + 1 >= n && !final) break; // an LF may follow in the next chunk
        else next = cr + 1; // a lone CR
        end = cr;
      } else if (lf >= 0) {
        end = lf;
        next = lf + 1;
      } else {
        if (!final) break; // the rest is in the next chunk
        end = n;
        next = n;
      }
      const row = ++this.row;
      if (end > pos) {
        if (q !== -1 && q < pos) q = byteIndex(bytes, 34, pos, n);
        if (q >= 0 && q < end) {
          const r = quotedCells(bytes.toString('utf8', pos, end), delim);
          if (r.open !== undefined) {
            events.error(end >= n ? msg.quote({ file: this.file, row }, r.open) : msg.lineBreak({ file: this.file, row }, r.open));
            this.stopped = true;
            return n;
          }
          if (r.trailing !== undefined) events.error(msg.quoteText({ file: this.file, row }, r.trailing));
          else events.quoted(r.cells, row);
        } else {
          // Cell boundaries by indexOf (a native scan: faster than a loop over the characters).
          let starts = rec.starts;
          let ends = rec.ends;
          let k = 0;
          let p = pos;
          for (;;) {
            if (d !== -1 && d < p) d = byteIndex(bytes, delimCode, p, n);
            if (k + 1 >= starts.length) {
              rec.starts = starts = grown(starts, starts.length * 2);
              rec.ends = ends = grown(ends, ends.length * 2);
            }
            starts[k] = p;
            if (d < 0 || d >= end) {
              ends[k++] = end;
              break;
            }
            ends[k++] = d;
            p = d + 1;
          }
          rec.count = k;
          events.record(rec, row);
        }
      }
      pos = next;
    }
    return pos;
  }
}

/** The cells of a record as strings. */
export function recordCells(rec: RawRecord, into: string[] = []): string[] {
  const { text, bytes, starts, ends, count } = rec;
  for (let f = 0; f < count; f++) into[f] = rec.ascii ? text.slice(starts[f], ends[f]) : bytes.toString('utf8', starts[f], ends[f]);
  if (into.length !== count) into.length = count;
  return into;
}

/**
 * Records → a TableSink: title rows and the header offered to `header`, blank records skipped, data records to
 * `record` (when the sink reads records in place) or to `row` as cells.
 */
export class TableReader implements RecordEvents {
  /** A non-blank record was offered as the header. */
  offered = false;
  private headerSeen = false;
  private readonly reused: string[] = [];

  constructor(
    private readonly sink: TableSink,
    private readonly errors: ErrorSink,
    /** Called when the sink wants no more records. */
    private readonly stop: () => void,
  ) {}

  record(rec: RawRecord, row: number): void {
    if (this.headerSeen && this.sink.record !== undefined) {
      // Records whose first cell starts with a visible ASCII character are never blank: the sink may read them in place.
      const c0 = rec.bytes[rec.starts[0]];
      if (c0 > 32 && c0 < 127 && rec.ends[0] > rec.starts[0] && this.sink.record(rec, row)) return;
    }
    this.cells(this.headerSeen ? recordCells(rec, this.reused) : recordCells(rec), row);
  }

  bulk(rec: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken): void {
    if (this.headerSeen) this.sink.bulk?.(rec, pos, n, row, delim, taken);
  }

  quoted(cells: string[], row: number): void {
    this.cells(cells, row);
  }

  error(e: InputError): void {
    this.errors.add(e);
  }

  private cells(cells: string[], row: number): void {
    if (!this.headerSeen) {
      if (cells.length === 1 && cells[0].replace(/^\uFEFF/, '').trim() === '') return;
      cells[0] = cells[0].replace(/^\uFEFF/, '');
      this.offered = true;
      const verdict = this.sink.header(cells, row);
      if (verdict === 'next') return;
      this.headerSeen = true;
      if (!verdict) this.stop();
      return;
    }
    if (cells[0] === '' || cells[0].trim() === '') {
      let blank = true;
      for (let i = 0; i < cells.length; i++) {
        if (cells[i] !== '' && cells[i].trim() !== '') {
          blank = false;
          break;
        }
      }
      if (blank) return;
    }
    this.sink.row(cells, row);
  }
}

export async function readCsv(path: string, encoding: Encoding, ctx: ReadContext, sink: TableSink): Promise<void> {
  await readCsvFile(
    path,
    encoding,
    ctx.file,
    sink,
    ctx.errors,
    (raw) => {
      ctx.hash?.update(raw);
      ctx.onBytes(raw.length);
    },
    { gb18030: ctx.gb18030 },
  );
}

/**
 * Reads a CSV file into a sink (CsvText → TableReader): the one read loop, for readCsv and for the reader thread
 * (csvWorker.ts). `read(raw)` sees each chunk of the file's bytes once its records are read — also after the sink
 * has stopped, so that the hash covers the whole file. With `fresh`, every chunk is a new buffer the caller may keep
 * (the reader thread hands it over). Every error — the file's, the text's, a file without a header — goes to `errors`.
 */
export async function readCsvFile(
  path: string,
  encoding: Encoding,
  file: string,
  sink: TableSink,
  errors: ErrorSink,
  read: (raw: Uint8Array) => void,
  options: { readonly chunk?: number; readonly fresh?: boolean; readonly gb18030?: () => Gb18030Transcoder | undefined } = {},
): Promise<void> {
  const size = options.chunk ?? CHUNK;
  let text: CsvText | undefined = undefined;
  const reader = new TableReader(sink, errors, () => text?.stop());
  text = new CsvText(encoding, file, reader, size, options.gb18030);
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    const reused = options.fresh ? undefined : Buffer.allocUnsafe(size);
    for (;;) {
      const buf = reused ?? new Uint8Array(size);
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) break;
      const raw = bytesRead === size ? buf : buf.subarray(0, bytesRead);
      text.push(raw); // ignored once stopped
      read(raw);
    }
    text.end();
  } catch (e) {
    errors.add(msg.unreadable({ file }, reason(e)));
    return;
  } finally {
    await fh?.close();
  }
  if (!reader.offered && !text.stopped) errors.add(msg.noHeader({ file, row: 1 }));
}

/** A record without quotes, as offered to `TableSink.record`; valid only during the call. */
export interface RawRecord {
  /** The text of `bytes`, one character per byte (Latin-1): a cell with no byte beyond ASCII is its slice. */
  readonly text: string;
  /** The record's UTF-8 bytes at the same offsets as `text`. */
  bytes: Buffer;
  /** The bytes of `text` (its length): the first `length` of `bytes`. */
  readonly length: number;
  /** Whether the whole text is ASCII (then every cell is its slice of `text`). */
  readonly ascii: boolean;
  /** Which text this is: a new number each time the reader moves on to more of the file. */
  readonly generation: number;
  /** Cell i is text[starts[i], ends[i]). */
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

/**
 * CsvText's record: the text and its ASCII test are made on first use for each chunk (the bulk tier of the fast path
 * reads the bytes and needs neither).
 */
class ChunkRecord implements RawRecord {
  generation = 0;
  starts: Int32Array = new Int32Array(64);
  ends: Int32Array = new Int32Array(64);
  count = 0;
  private n = 0;
  private madeText = -1;
  private madeAscii = -1;
  private textOf = '';
  private asciiOf = true;

  constructor(public bytes: Buffer) {}

  /** The first n bytes of `bytes` are the next text. */
  load(bytes: Buffer, n: number): void {
    this.bytes = bytes;
    this.n = n;
    this.generation++;
  }

  get length(): number {
    return this.n;
  }

  get text(): string {
    if (this.madeText !== this.generation) {
      this.textOf = this.bytes.toString('latin1', 0, this.n);
      this.madeText = this.generation;
    }
    return this.textOf;
  }

  get ascii(): boolean {
    if (this.madeAscii !== this.generation) {
      this.asciiOf = isAscii(this.bytes.subarray(0, this.n));
      this.madeAscii = this.generation;
    }
    return this.asciiOf;
  }
}

/** The first `value` byte in bytes[from, n), or -1. */
function byteIndex(bytes: Buffer, value: number, from: number, n: number): number {
  const i = bytes.indexOf(value, from);
  return i >= n ? -1 : i;
}

/** Where the whole UTF-8 characters in buf[from, to) end: before a last character cut off by the chunk's end. */
function utf8WholeEnd(buf: Uint8Array, from: number, to: number): number {
  let i = to - 1;
  let back = 0;
  while (i >= from && back < 3 && (buf[i] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < from) return to; // let the check see it
  const c = buf[i];
  const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return to - i < need ? i : to;
}

/**
 * A record with quotes (RFC 4180, doubled quotes), split into cells. `open`: the column of a quoted cell that does
 * not close within the record; `trailing`: the column of a quoted cell followed by text before its delimiter.
 */
function quotedCells(line: string, delim: string): { cells: string[]; open?: number; trailing?: number } {
  const cells: string[] = [];
  const end = line.length;
  let i = 0;
  let trailing: number | undefined;
  for (;;) {
    let field: string;
    if (i < end && line.charCodeAt(i) === 34) {
      let j = i + 1;
      let value = '';
      let closed = false;
      for (;;) {
        const k = line.indexOf('"', j);
        if (k < 0) break;
        if (k + 1 < end && line.charCodeAt(k + 1) === 34) {
          value += line.slice(j, k + 1);
          j = k + 2;
          continue;
        }
        value += line.slice(j, k);
        j = k + 1;
        closed = true;
        break;
      }
      if (!closed) return { cells, open: cells.length + 1 };
      let e = line.indexOf(delim, j);
      if (e < 0) e = end;
      if (e > j && trailing === undefined && line.slice(j, e).trim() !== '') trailing = cells.length + 1; // spaces are fine
      field = value;
      i = e;
    } else {
      let e = line.indexOf(delim, i);
      if (e < 0) e = end;
      field = line.slice(i, e);
      i = e;
    }
    cells.push(field);
    if (i >= end) break;
    i++; // the delimiter
  }
  return { cells, trailing };
}

/** Where the line starting at `from` ends: the first LF or CR, or the text's end. */
function lineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf < 0) return cr < 0 ? text.length : cr;
  return cr < 0 || lf < cr ? lf : cr;
}

/** Why a file could not be read, in both languages. */
export interface Reason {
  readonly zh: string;
  readonly en: string;
}

export function reason(e: unknown): Reason {
  if (e && typeof e === 'object' && 'code' in e) {
    const code = String((e as { code: unknown }).code);
    if (code === 'ENOENT') return { zh: '文件不存在', en: 'file not found' };
    if (code === 'EACCES') return { zh: '无权限读取', en: 'permission denied' };
    if (code === 'EISDIR') return { zh: '这是文件夹', en: 'is a folder' };
    return { zh: `系统错误 ${code}`, en: code };
  }
  const text = e instanceof Error ? e.message : String(e);
  return { zh: `读取出错（${text}）`, en: text };
}

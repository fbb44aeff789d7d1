// Streaming CSV reader: raw bytes → SHA-256 and text (UTF-8 or GB18030, detected or given) → records → a sink.
// Records end at LF, CRLF or a lone CR. Lines without a quote take a fast path; quoted fields (RFC 4180, doubled
// quotes) are read field by field and must close on their own line: no claims column holds a line break, and a
// quote left open would swallow the rows after it. Never throws for bad content: problems become InputErrors.
import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { Hash } from 'node:crypto';
import { msg } from './messages.js';
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
}

export interface ReadContext {
  readonly file: string; // as shown in errors
  readonly errors: ErrorSink;
  readonly hash?: Hash;
  onBytes(n: number): void;
  /** Something the user should know about how the file was read (another sheet, a header below title rows). */
  notice?(n: { readonly zh: string; readonly en: string }): void;
}

const CHUNK = Number(process.env.YIBAO_CHUNK ?? 1 << 18);

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

export async function readCsv(path: string, encoding: Encoding, ctx: ReadContext, sink: TableSink): Promise<void> {
  const { file, errors } = ctx;
  let decoder: TextDecoder | undefined;
  let chosen: 'utf-8' | 'gb18030' | undefined = encoding === 'auto' ? undefined : encoding;
  const makeDecoder = (enc: 'utf-8' | 'gb18030') => new TextDecoder(enc, { fatal: true });
  if (chosen) decoder = makeDecoder(chosen);

  let carry = '';
  let row = 0; // records seen, including blank lines
  let headerSeen = false;
  let stopped = false;
  let delim = ',';
  let delimSeen = false;
  let offered = false; // a non-blank record was offered as the header

  const reused: string[] = [];
  const emit = (cells: string[]): void => {
    if (!headerSeen) {
      if (cells.length === 1 && cells[0].replace(/^\uFEFF/, '').trim() === '') return;
      cells[0] = cells[0].replace(/^\uFEFF/, '');
      offered = true;
      const verdict = sink.header(cells, row);
      if (verdict === 'next') return;
      headerSeen = true;
      if (!verdict) stopped = true;
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
    sink.row(cells, row);
  };

  /**
   * Splits complete records out of `text`; returns the unconsumed tail. At EOF (`final`) consumes everything.
   * A record ends at LF, CRLF or a lone CR (old Mac / "CSV (Macintosh)" exports). No claims column holds a line
   * break, so a quoted field that does not close on its own line is an error naming the row where it opened
   * (an unclosed quote would otherwise swallow the rows after it); reading the file stops there.
   */
  const consume = (text: string, final: boolean): string => {
    let pos = 0;
    const n = text.length;
    if (!delimSeen) {
      // Delimiter: a tab-separated export has tabs and no commas in its first line holding either (title rows above
      // the header usually hold neither).
      for (let from = 0; from < n; ) {
        const end = lineEnd(text, from);
        if (end >= n && !final) break;
        const line = text.slice(from, end);
        if (line.indexOf('\t') >= 0 || line.indexOf(',') >= 0) {
          if (line.indexOf(',') < 0) delim = '\t';
          delimSeen = true;
          break;
        }
        from = end + 1;
      }
    }
    let q = -2; // next quote at or after pos; -1: none left in text
    let lf = -2; // next LF at or after pos; -1: none left
    let cr = -2; // next CR at or after pos; -1: none left
    while (pos < n && !stopped) {
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
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
        if (!final) break;
        end = n;
        next = n;
      }
      if (q !== -1 && q < pos) q = text.indexOf('"', pos);
      if (q < 0 || q >= end) {
        row++;
        if (end > pos) {
          if (!headerSeen) emit(text.slice(pos, end).split(delim));
          else {
            // Fields by indexOf into one reused array (the sink must not keep it): ~20% faster than split().
            let k = 0;
            let p = pos;
            for (;;) {
              const d = text.indexOf(delim, p);
              if (d < 0 || d >= end) {
                reused[k++] = text.slice(p, end);
                break;
              }
              reused[k++] = text.slice(p, d);
              p = d + 1;
            }
            if (reused.length !== k) reused.length = k;
            emit(reused);
          }
        }
        pos = next;
        continue;
      }
      // A record with a quote: fields one by one up to `end`. A quoted field must close before `end`.
      const cells: string[] = [];
      let i = pos;
      let trailing = -1; // column of a quoted field followed by text before its delimiter
      for (;;) {
        let field: string;
        if (i < end && text.charCodeAt(i) === 34) {
          let j = i + 1;
          let value = '';
          let closed = false;
          for (;;) {
            const k = text.indexOf('"', j);
            if (k < 0 || k >= end) break;
            if (k + 1 < end && text.charCodeAt(k + 1) === 34) {
              value += text.slice(j, k + 1);
              j = k + 2;
              continue;
            }
            value += text.slice(j, k);
            j = k + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (end >= n && !final) return text.slice(pos); // the rest of the line is in the next chunk
            row++;
            errors.add(end >= n ? msg.quote({ file, row }, cells.length + 1) : msg.lineBreak({ file, row }, cells.length + 1));
            stopped = true;
            return '';
          }
          let e = text.indexOf(delim, j);
          if (e < 0 || e > end) e = end;
          if (e > j && trailing < 0 && text.slice(j, e).trim() !== '') trailing = cells.length + 1; // spaces are fine
          field = value;
          i = e;
        } else {
          let e = text.indexOf(delim, i);
          if (e < 0 || e > end) e = end;
          field = text.slice(i, e);
          i = e;
        }
        cells.push(field);
        if (i >= end) break;
        i++; // the delimiter
      }
      row++;
      if (trailing >= 0) errors.add(msg.quoteText({ file, row }, trailing));
      else emit(cells);
      pos = next;
    }
    return pos >= n ? '' : text.slice(pos);
  };

  try {
    for await (const buf of readChunks(path)) {
      ctx.hash?.update(buf);
      ctx.onBytes(buf.length);
      if (stopped) continue; // keep hashing the raw bytes
      if (!decoder) {
        const enc = sniff(buf);
        if (!enc) {
          // All ASCII so far: the same text in either encoding, so no need to decide yet.
          const ascii = buf.toString('latin1');
          carry = consume(carry.length > 0 ? carry + ascii : ascii, false);
          continue;
        }
        chosen = enc;
        decoder = makeDecoder(enc);
      }
      let text: string;
      try {
        text = decoder.decode(buf, { stream: true });
      } catch {
        errors.add(msg.encoding({ file }, chosen ?? 'utf-8'));
        stopped = true;
        continue;
      }
      carry = consume(carry.length > 0 ? carry + text : text, false);
    }
    if (!stopped) {
      if (!decoder) decoder = makeDecoder('utf-8');
      let tail = '';
      try {
        tail = decoder.decode();
      } catch {
        errors.add(msg.encoding({ file }, chosen ?? 'utf-8'));
        stopped = true;
      }
      if (!stopped) consume(carry + tail, true);
    }
  } catch (e) {
    errors.add(msg.unreadable({ file }, reason(e)));
    return;
  }
  if (!offered && !stopped) errors.add(msg.noHeader({ file, row: 1 }));
}

/**
 * The file's bytes in chunks, read into one reused buffer: no allocation per chunk, so external memory stays flat
 * (a read stream's fresh Buffers pile up as garbage faster than V8 collects them: ~100 MB at 1M rows).
 * Each chunk is valid only until the next one is requested.
 */
/** Where the line starting at `from` ends: the first LF or CR, or the text's end. */
function lineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf < 0) return cr < 0 ? text.length : cr;
  return cr < 0 || lf < cr ? lf : cr;
}

export async function* readChunks(path: string, size: number = CHUNK): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) break;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
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

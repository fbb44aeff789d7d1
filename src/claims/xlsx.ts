// Streaming XLSX reader: the zip's central directory, then the shared strings and one worksheet inflated as
// streams and scanned as bytes (sheetXml.ts), row by row.
//
// Why not exceljs's stream.xlsx.WorkbookReader: its SAX feed (exceljs/lib/utils/parse-sax.js) decodes every
// inflated chunk on its own (`bufferToString(chunk)`), so a Chinese character whose three UTF-8 bytes straddle a
// chunk boundary becomes U+FFFD garbage — in shared strings and inline strings alike (exceljs #2063/#2084/#2316);
// test/claims/xlsx.test.ts reproduces this. Here an element cut by a chunk boundary is scanned again whole.
//
// Memory: the shared-string table is held (Excel stores every distinct text once there, so a file whose claim ids
// are text holds them all); rows are never held. The file's SHA-256 is taken by one sequential read of the raw
// bytes, since the zip is read by random access (the central directory is at the end).
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { msg } from './messages.js';
import { reason, type ReadContext, type TableSink } from './csv.js';
import { HEADER_SEARCH_ROWS } from './rows.js';
import { SharedStringsScanner, SheetScanner, unescapeXml } from './sheetXml.js';

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compSize: number;
  readonly localOffset: number;
}

/** A damaged or foreign zip: the message in English, `zh` in Chinese. */
class ZipError extends Error {
  constructor(
    message: string,
    readonly zh: string,
  ) {
    super(message);
  }
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
    if (bytesRead === 0) throw new ZipError('unexpected end of file', '文件被截断');
    got += bytesRead;
  }
  return buf;
}

async function centralDirectory(fh: FileHandle, size: number): Promise<Map<string, Entry>> {
  if (size < 22) throw new ZipError('too short to be a zip file', '文件过短，不是 zip 文件');
  const tailLen = Math.min(size, 65_557);
  const tail = await readAt(fh, size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no zip directory found', '找不到 zip 目录，文件可能被截断');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new ZipError('bad zip64 locator', 'zip64 定位记录损坏');
    const recPos = Number(tail.readBigUInt64LE(loc + 8));
    const rec = await readAt(fh, recPos, 56);
    if (rec.readUInt32LE(0) !== 0x06064b50) throw new ZipError('bad zip64 directory', 'zip64 目录损坏');
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw new ZipError('zip directory out of range', 'zip 目录超出文件范围，文件被截断');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries = new Map<string, Entry>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipError('bad zip directory entry', 'zip 目录项损坏');
    const method = cd.readUInt16LE(p + 10);
    let compSize = cd.readUInt32LE(p + 20);
    let uncomp = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extra field: the 64-bit values of the fields that are 0xffffffff, in this order
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 1) {
        let f = e + 4;
        if (uncomp === 0xffffffff) {
          uncomp = Number(cd.readBigUInt64LE(f));
          f += 8;
        }
        if (compSize === 0xffffffff) {
          compSize = Number(cd.readBigUInt64LE(f));
          f += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(f));
      }
      e += 4 + len;
    }
    entries.set(name.replace(/^\//, ''), { name, method, compSize, localOffset });
    p = eEnd + commentLen;
  }
  return entries;
}

/** Streams an entry's inflated bytes to `onChunk` until it returns false. */
async function streamEntry(
  path: string,
  fh: FileHandle,
  entry: Entry,
  onChunk: (chunk: Buffer) => void | boolean,
  onBytes?: (n: number) => void,
): Promise<void> {
  const local = await readAt(fh, entry.localOffset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new ZipError(`bad local header for ${entry.name}`, `${entry.name} 的本地文件头损坏`);
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`unsupported compression ${entry.method}`, `不支持的压缩方式 ${entry.method}`);
  if (entry.compSize === 0) return;
  const raw = createReadStream(path, { start, end: start + entry.compSize - 1, highWaterMark: 1 << 20 });
  if (onBytes) raw.on('data', (b) => onBytes(b.length));
  const source: AsyncIterable<Buffer> = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 1 << 20 })) : raw;
  try {
    for await (const chunk of source) {
      if (onChunk(chunk) === false) break;
    }
  } catch (e) {
    throw new ZipError(`${entry.name}: ${reason(e).en} (damaged or truncated)`, `${entry.name}：数据损坏或被截断（${reason(e).zh}）`);
  } finally {
    raw.destroy();
  }
}

/** A small part's whole text (workbook.xml, its relationships). */
async function entryText(path: string, fh: FileHandle, entry: Entry): Promise<string> {
  const chunks: Buffer[] = [];
  await streamEntry(path, fh, entry, (chunk) => {
    chunks.push(chunk);
  });
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

export interface XlsxOptions {
  readonly sheet?: string;
  /** Called after the header: the column index holding dates (numeric cells there are Excel date serials). */
  readonly dateColumn?: () => number;
  /** Without `sheet`: a row that is the claims header; the first sheet with one among its first rows is read. */
  readonly looksLikeHeader?: (cells: readonly string[]) => boolean;
}

/**
 * Streams a worksheet's rows as cell texts (numbers as Excel shows them; in the column `dateCol()` Excel date
 * serials as YYYY-MM-DD) to `onRow` until it returns false; `cells` is reused for the next row. Empty rows are
 * skipped. Returns the row after the last and whether the sheet ended inside a row.
 */
async function streamRows(
  path: string,
  fh: FileHandle,
  entry: Entry,
  strings: readonly string[],
  date1904: boolean,
  dateColumn: () => number,
  onRow: (rowNo: number, cells: string[]) => boolean,
  onBytes?: (n: number) => void,
): Promise<{ next: number; truncated: boolean }> {
  const scanner = new SheetScanner({ strings, date1904, dateColumn, onRow });
  await streamEntry(path, fh, entry, (chunk) => scanner.push(chunk), onBytes);
  return { next: scanner.nextRow, truncated: scanner.truncated };
}

export async function readXlsx(path: string, options: XlsxOptions, ctx: ReadContext, sink: TableSink): Promise<void> {
  const { file, errors } = ctx;
  // SHA-256 of the raw bytes: one sequential read (the zip itself is read by random access).
  if (ctx.hash) {
    try {
      for await (const b of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) ctx.hash.update(b);
    } catch (e) {
      errors.add(msg.unreadable({ file }, reason(e)));
      return;
    }
  }
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    errors.add(msg.unreadable({ file }, reason(e)));
    return;
  }
  try {
    const size = (await fh.stat()).size;
    const entries = await centralDirectory(fh, size);
    const wbEntry = entries.get('xl/workbook.xml');
    const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
    if (!wbEntry || !relsEntry) throw new ZipError('no workbook inside (xl/workbook.xml)', '缺少 xl/workbook.xml，不是 Excel 工作簿');
    const wb = await entryText(path, fh, wbEntry);
    const rels = await entryText(path, fh, relsEntry);
    const date1904 = /\bdate1904="(1|true)"/.test(wb);
    const sheets: { name: string; rid: string }[] = [];
    for (const m of wb.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)) {
      const name = /\bname="([^"]*)"/.exec(m[1])?.[1];
      const rid = /\s[\w]+:id="([^"]*)"/.exec(` ${m[1]}`)?.[1];
      if (name !== undefined && rid !== undefined) sheets.push({ name: unescapeXml(name), rid });
    }
    if (sheets.length === 0) throw new ZipError('the workbook has no sheets', '工作簿中没有工作表');
    const chosen = options.sheet === undefined ? sheets[0] : sheets.find((s) => s.name === options.sheet);
    if (!chosen) {
      errors.add(msg.noSheet({ file }, options.sheet as string, sheets.map((s) => s.name)));
      return;
    }
    const sheetPart = async (sheet: { name: string; rid: string }): Promise<Entry> => {
      let target: string | undefined;
      for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g)) {
        if (/\bId="([^"]*)"/.exec(m[1])?.[1] === sheet.rid) target = /\bTarget="([^"]*)"/.exec(m[1])?.[1];
      }
      if (target === undefined) throw new ZipError(`sheet "${sheet.name}" has no part`, `工作表 "${sheet.name}" 缺少数据部分`);
      const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
      const entry = entries.get(sheetPath);
      if (!entry) throw new ZipError(`missing part ${sheetPath}`, `缺少部件 ${sheetPath}`);
      return entry;
    };

    // Shared strings.
    const sst: string[] = [];
    const sstEntry = entries.get('xl/sharedStrings.xml');
    if (sstEntry) {
      const scanner = new SharedStringsScanner(sst);
      await streamEntry(path, fh, sstEntry, (chunk) => scanner.push(chunk), ctx.onBytes);
    }

    // The sheet: the one named, else the first whose first rows hold the claims header (a notes sheet may come
    // first), else the first.
    let sheetEntry = await sheetPart(chosen);
    if (options.sheet === undefined && options.looksLikeHeader && sheets.length > 1) {
      // Every sheet's first rows are searched: claims on a second sheet would otherwise be left out unsaid.
      const withHeader: { name: string; entry: Entry }[] = [];
      for (const candidate of sheets) {
        const entry = await sheetPart(candidate);
        let seen = 0;
        let found = false;
        await streamRows(path, fh, entry, sst, date1904, () => -1, (_rowNo, cells) => {
          found = (options.looksLikeHeader as (c: readonly string[]) => boolean)(cells);
          return !found && ++seen < HEADER_SEARCH_ROWS;
        });
        if (found) withHeader.push({ name: candidate.name, entry });
      }
      if (withHeader.length > 1) {
        const names = withHeader.map((w) => `"${w.name}"`).join('、');
        errors.add({
          file,
          rule: 'xlsx.manySheets',
          value: withHeader.map((w) => w.name).join(', '),
          zh: `工作簿中有 ${withHeader.length} 个工作表含结算明细表头（${names}）：一次只读一个工作表，请用 --sheet 指定，或把明细合并到一个工作表（否则其余工作表的结算单会被漏掉）`,
          en: `${withHeader.length} sheets of the workbook hold a claims header (${withHeader.map((w) => `"${w.name}"`).join(', ')}): one sheet is read per file; choose it with --sheet, or put the claims on one sheet (the other sheets' claims would be left out)`,
        });
        return;
      }
      const first = withHeader[0];
      if (first !== undefined) {
        if (first.name !== chosen.name) {
          ctx.notice?.({
            zh: `第一个工作表 "${chosen.name}" 不含结算明细表头，已改用工作表 "${first.name}"（可用 --sheet 指定）`,
            en: `the first sheet "${chosen.name}" holds no claims header; read sheet "${first.name}" instead (choose with --sheet)`,
          });
        }
        sheetEntry = first.entry;
      }
    }
    let headerDone = false;
    let offered = false;
    let stopped = false;
    let dateCol = -1;
    const lastRow = await streamRows(path, fh, sheetEntry, sst, date1904, () => (headerDone ? dateCol : -1), (rowNo, cells) => {
      if (!headerDone) {
        offered = true;
        const verdict = sink.header(cells.slice(), rowNo); // a copy: `cells` is reused
        if (verdict === 'next') return true;
        headerDone = true;
        if (!verdict) stopped = true;
        dateCol = options.dateColumn ? options.dateColumn() : -1;
        return !stopped;
      }
      sink.row(cells, rowNo);
      return true;
    }, ctx.onBytes);
    if (lastRow.truncated && !stopped) {
      errors.add(msg.format({ file, row: lastRow.next }, { en: 'the sheet ends in the middle of a row', zh: '工作表数据在一行中间结束（被截断）' }));
    }
    if (!offered) errors.add(msg.noHeader({ file, row: 1 }));
  } catch (e) {
    errors.add(e instanceof ZipError ? msg.format({ file }, { en: e.message, zh: e.zh }) : msg.unreadable({ file }, reason(e)));
  } finally {
    await fh.close();
  }
}

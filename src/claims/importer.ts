// openClaimFiles: the ClaimSource over claims files (CSV in UTF-8/GB18030, XLSX). Each scan reads every file once,
// hashing its bytes, checks every row, streams the valid ones to the visitor and collects all errors.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import type { InputFile } from '../domain/result.js';
import type { Claim, InputError } from '../domain/types.js';
import { ClaimDecoder, FastRowChecker, newEncoded, RecordIdTexts } from './fastRows.js';
import { readCsvThreaded, useReaderThread, type ClaimTableSink } from './csvThread.js';
import { COLUMN_INDEX, vocabulary, type ColumnMapping, type Vocabulary } from './columns.js';
import { readCsv, reason, type Encoding, type ReadContext, type Reason, type TableSink } from './csv.js';
import { H, hash64 } from './fields.js';
import { ClaimLedger } from './ledger.js';
import { loadRecordScan } from './recordScan.js';
import { gb18030Once } from './gb18030.js';
import { msg } from './messages.js';
import { Progress } from './progress.js';
import { HeaderSearch, looksLikeHeader, RowChecker, type ErrorSink, type RunRules } from './rows.js';
import type { ClaimScan, ClaimSource, ClaimVisitor, ReadNotice } from './source.js';
import { readXlsx } from './xlsx.js';

export interface ClaimFile {
  readonly path: string; // where to read it
  readonly shown: string; // how to name it in errors and in the inputs list
}

export interface ImportOptions {
  /** 'auto' (default): a UTF-8 BOM or valid UTF-8 means UTF-8, anything else GB18030. 'gbk'/'gb2312' mean gb18030. */
  readonly encoding?: Encoding | string;
  /** XLSX: the sheet to read (default: the first). */
  readonly sheet?: string;
  readonly mapping?: ColumnMapping;
  /** Progress bar on stderr; only drawn when stderr is a terminal. Default true. */
  readonly progress?: boolean;
  /** Errors kept (the count covers all). Default 10,000. */
  readonly maxErrors?: number;
  /**
   * A reversal whose original is not in these files is returned in `pendingReversals` instead of being an error
   * (a book resolves them against its earlier batches).
   */
  readonly deferUnknownReversals?: boolean;
  /**
   * The settlement year: when given, a row whose service_date is in another year is a row error `date.outsideYear`
   * naming file and row (DOMAIN.md §12.1). `settle` and the what-if commands pass the scenario's year; a book passes
   * the year it keeps. Without it any real date is accepted (`validate` without a scenario).
   */
  readonly year?: number;
  /**
   * The group's member codes: an institution_id or referred_from that is no member's but equals one after
   * normalisation and ignoring case and spaces ("h01", "Ｈ０１" for H01) is a row error `code.looksLikeMember`.
   */
  readonly members?: readonly string[];
}

const ENCODINGS: Readonly<Record<string, Encoding>> = {
  auto: 'auto',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
};

export function normalizeEncoding(name: string | undefined): Encoding | undefined {
  return ENCODINGS[(name ?? 'auto').trim().toLowerCase()];
}

class Collector {
  readonly kept: { e: InputError; fi: number; seq: number }[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(e: InputError, fi: number): void {
    this.count++;
    if (this.kept.length < this.max) this.kept.push({ e, fi, seq: this.count });
  }
  sorted(): InputError[] {
    return this.kept
      .sort((a, b) => a.fi - b.fi || (a.e.row ?? 0) - (b.e.row ?? 0) || a.seq - b.seq)
      .map((k) => k.e);
  }
  sink(fi: number): ErrorSink {
    return { add: (e) => this.add(e, fi) };
  }
}

type Kind = 'csv' | 'xlsx' | 'xls';

/** File kind by content (zip magic) then extension, and a row-count estimate from a 64 KB peek. */
async function peek(path: string): Promise<{ kind: Kind; size: number; rowsEstimate: number } | { error: Reason }> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return { error: { zh: '这是文件夹', en: 'is a folder' } };
    // A FIFO or a device (/dev/urandom) would hang the run or never end: claims come from regular files only.
    if (!st.isFile()) return { error: { zh: '不是普通文件（管道、设备或套接字）', en: 'not a regular file (a pipe, device or socket)' } };
    const size = st.size;
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, 65_536));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      const head = buf.subarray(0, bytesRead);
      const lower = path.toLowerCase();
      if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return { kind: 'xlsx', size, rowsEstimate: 0 };
      if (head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0) return { kind: 'xls', size, rowsEstimate: 0 };
      if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return { kind: 'xlsx', size, rowsEstimate: 0 };
      let lines = 0;
      for (let i = 0; i < head.length; i++) if (head[i] === 10) lines++;
      const rowsEstimate = lines === 0 ? 0 : Math.ceil((size / head.length) * lines);
      return { kind: 'csv', size, rowsEstimate };
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { error: reason(e) };
  }
}

export function openClaimFiles(files: readonly ClaimFile[], options: ImportOptions = {}): ClaimSource {
  const vocab = vocabulary(options.mapping);
  return { scan: (visit) => scanFiles(files, options, vocab, visit) };
}

async function scanFiles(
  files: readonly ClaimFile[],
  options: ImportOptions,
  vocab: Vocabulary,
  visit: ClaimVisitor,
): Promise<ClaimScan> {
  const collector = new Collector(options.maxErrors ?? 10_000);
  const encoding = normalizeEncoding(options.encoding);
  if (encoding === undefined) {
    collector.add(msg.unknownEncoding({ file: files[0]?.shown ?? '' }, String(options.encoding)), 0);
    return { rows: 0, files: [], errors: collector.sorted(), errorCount: collector.count, notices: [] };
  }
  // The same file named twice (as written, or by another path to it) is said so, not as a duplicate of every row.
  const firstNamed = new Map<string, string>();
  for (const f of files) {
    let real: string;
    try {
      real = realpathSync(f.path);
    } catch {
      continue; // unreadable: said below
    }
    const first = firstNamed.get(real);
    if (first === undefined) firstNamed.set(real, f.shown);
    else {
      collector.add(
        {
          file: f.shown,
          rule: 'file.twice',
          zh: `结算明细文件 ${f.shown} 与 ${first} 是同一个文件，被列了两次：请只列一次`,
          en: `the claims file ${f.shown} is the same file as ${first}, listed twice: list it once`,
        },
        0,
      );
    }
  }
  if (collector.count > 0) return { rows: 0, files: [], errors: collector.sorted(), errorCount: collector.count, notices: [] };
  const peeks = await Promise.all(files.map((f) => peek(f.path)));
  const totalBytes = peeks.reduce((s, p) => s + ('size' in p ? p.size : 0), 0);
  const expected = peeks.reduce((s, p) => s + ('rowsEstimate' in p ? p.rowsEstimate : 0), 0);
  const rules: RunRules = { year: options.year, members: options.members };
  // YIBAO_CSV_FAST=never: every CSV row through RowChecker (tests hold the two paths equal).
  const fastPath = process.env.YIBAO_CSV_FAST !== 'never';
  // The bulk tier of the fast path, compiled once for the files read on this thread.
  let scanModule: WebAssembly.Module | undefined | null = null;
  const gb18030 = gb18030Once();
  const ledger = new ClaimLedger(expected, (e, fi) => collector.add(e, fi));
  const progress = new Progress(totalBytes, options.progress !== false && process.stderr.isTTY === true);
  const inputs: InputFile[] = [];
  const notices: ReadNotice[] = [];
  let rows = 0;
  // Σ |total_cost| over the run: every sum of claim amounts (fund and patient parts are within total) is exact
  // while this stays within 2^53 fen; past it the run stops instead of adding inexactly.
  let absTotal = 0;
  let sumReported = false;

  for (let fi = 0; fi < files.length; fi++) {
    const { path, shown } = files[fi];
    const p = peeks[fi];
    const errors = collector.sink(fi);
    if ('error' in p) {
      errors.add(msg.unreadable({ file: shown }, p.error));
      continue;
    }
    if (p.kind === 'xls') {
      errors.add(
        msg.format(
          { file: shown },
          { en: 'old binary .xls is not supported; save as .xlsx or CSV', zh: '不支持旧版 .xls，请另存为 .xlsx 或 CSV' },
        ),
      );
      continue;
    }
    const hash = createHash('sha256');
    const search = new HeaderSearch(vocab, shown, errors);
    const ctx: ReadContext = {
      file: shown,
      errors,
      hash,
      onBytes: (n) => progress.addBytes(n),
      notice: (n) => notices.push({ file: shown, zh: `${shown}：${n.zh}`, en: `${shown}: ${n.en}` }),
      gb18030,
    };
    let checker: RowChecker | undefined;
    let fast: FastRowChecker | undefined; // the same checks on a CSV record in place (fastRows.ts)
    let decoder: ClaimDecoder | undefined;
    const encoded = newEncoded(1);
    let labels = { id: 'claim_id', reverses: 'reverses' };
    let dateColumn = -1;
    let fileRows = 0;
    const errorsBefore = collector.count;
    const idCol = COLUMN_INDEX.claim_id;
    const revCol = COLUMN_INDEX.reverses;
    const sink: ClaimTableSink = {
      header(cells, row) {
        const header = search.offer(cells, row);
        if (header === 'next' || header === undefined) return header ?? false;
        if (search.found && search.found.skipped > 0) {
          notices.push({
            file: shown,
            zh: `${shown}：表头在第 ${row} 行，上方 ${search.found.skipped} 行标题已跳过`,
            en: `${shown}: the header is on row ${row}; ${search.found.skipped} title row(s) above it skipped`,
          });
        }
        checker = new RowChecker(header, vocab, shown, errors, rules);
        if (p.kind === 'csv') {
          if (scanModule === null) scanModule = fastPath ? loadRecordScan() : undefined;
          fast = new FastRowChecker(header, vocab, rules, scanModule);
          decoder = new ClaimDecoder(fast.shape, fast.values);
        }
        labels = { id: header.label[idCol], reverses: header.label[revCol] };
        dateColumn = header.index[COLUMN_INDEX.service_date];
        return true;
      },
      row(cells, row) {
        const c = checker as RowChecker;
        const claim = c.check(cells, row);
        if (claim) accept(claim, row);
        else {
          counted();
          if (ledgerHere) ledger.add(c.code(cells, idCol), c.code(cells, revCol), undefined, shown, fi, row, labels);
        }
      },
      record(r, row) {
        // RowChecker takes a row the fast path does not (as cells), and says what is wrong with it.
        if (!fastPath || !(fast as FastRowChecker).encode(r, row, encoded)) return false;
        accept((decoder as ClaimDecoder).claim(encoded, 0, new RecordIdTexts(r, encoded)), row);
        encoded.count = 0;
        encoded.side.length = 0; // (after the claim is taken: its ids are read from these)
        return true;
      },
      bulk(r, pos, n, row, delim, taken) {
        if (!fastPath) return;
        const end = (fast as FastRowChecker).bulk(r, pos, n, row, delim, encoded);
        const count = encoded.count;
        const d = decoder as ClaimDecoder;
        const texts = new RecordIdTexts(r, encoded);
        for (let k = 0; k < count; k++) accept(d.claim(encoded, k, texts), ClaimDecoder.row(encoded, k), ClaimDecoder.idHashHi(encoded, k), ClaimDecoder.idHashLo(encoded, k));
        encoded.count = 0;
        encoded.idsLength = 0;
        encoded.side.length = 0;
        taken.pos = end;
        taken.records = count;
      },
      claim(claim, row) {
        accept(claim, row);
      },
    };
    /** One more data row read, valid or not. */
    const counted = (): void => {
      rows++;
      fileRows++;
      if ((rows & 0xffff) === 0) progress.tick(rows);
    };
    const accept = (claim: Claim, row: number, idHi = NaN, idLo = NaN): void => {
      counted();
      absTotal += claim.totalCost < 0 ? -claim.totalCost : claim.totalCost;
      if (absTotal > Number.MAX_SAFE_INTEGER && !sumReported) {
        sumReported = true;
        errors.add(msg.sumRange({ file: shown, row }));
      }
      if (ledgerHere) ledger.add(claim.claimId, claim.reverses, claim, shown, fi, row, labels, idHi, idLo);
      visit(claim, { file: shown, row });
    };
    let ledgerHere = true; // false while the reader thread keeps the ledger
    const xlsxOptions = { sheet: options.sheet, dateColumn: () => dateColumn, looksLikeHeader: (c: readonly string[]) => looksLikeHeader(c, vocab) };
    if (p.kind === 'xlsx') await readXlsx(path, xlsxOptions, ctx, sink);
    else if (fastPath && useReaderThread(path)) {
      ledgerHere = false;
      const state = ledger.handOver();
      ledger.resume(await readCsvThreaded(path, encoding, ctx, sink, { mapping: options.mapping, rules, ledger: state, fileIndex: fi, lastFile: fi === files.length - 1, ledgerReport: (e, f) => collector.add(e, f) }));
      ledgerHere = true;
    }
    else await readCsv(path, encoding, ctx, sink);
    search.finish();
    // An export with a header and no rows is never a real month (and a CR-only file once read as one line).
    if (checker !== undefined && fileRows === 0 && collector.count === errorsBefore) errors.add(msg.noRows({ file: shown }));
    inputs.push({ role: 'claims', file: shown, sha256: hash.digest('hex') });
  }
  const pendingReversals = ledger.finish(options.deferUnknownReversals === true);
  progress.tick(rows);
  progress.done();
  if (ledger.suspects.length > 0) await confirmDuplicates(files, peeks, encoding, options, vocab, ledger, collector);
  return { rows, files: inputs, errors: collector.sorted(), errorCount: collector.count, pendingReversals, notices };
}

/**
 * The ids whose 64-bit hash was seen before are only suspects: read the files again, ids only, to find each
 * hash's first occurrence, and report a duplicate only when the id texts are equal (a hash collision is dropped).
 */
async function confirmDuplicates(
  files: readonly ClaimFile[],
  peeks: readonly Awaited<ReturnType<typeof peek>>[],
  encoding: Encoding,
  options: ImportOptions,
  vocab: Vocabulary,
  ledger: ClaimLedger,
  collector: Collector,
): Promise<void> {
  const wanted = new Map<string, { file: string; row: number; id: string } | null>();
  for (const s of ledger.suspects) wanted.set(`${s.hi}:${s.lo}`, null);
  let missing = wanted.size;
  const quiet: ErrorSink = { add: () => undefined };
  const gb18030 = gb18030Once();
  for (let fi = 0; fi < files.length && missing > 0; fi++) {
    const p = peeks[fi];
    if ('error' in p || p.kind === 'xls') continue;
    const { path, shown } = files[fi];
    let checker: RowChecker | undefined;
    const search = new HeaderSearch(vocab, shown, quiet);
    const sink: TableSink = {
      header(cells, row) {
        const header = search.offer(cells, row);
        if (header === 'next' || header === undefined) return header ?? false;
        checker = new RowChecker(header, vocab, shown, quiet);
        return true;
      },
      row(cells, row) {
        if (missing === 0) return;
        const id = (checker as RowChecker).code(cells, COLUMN_INDEX.claim_id);
        if (id === '') return;
        hash64(id);
        const k = `${H.hi}:${H.lo}`;
        if (wanted.get(k) === null) {
          wanted.set(k, { file: shown, row, id });
          missing--;
        }
      },
    };
    const ctx: ReadContext = { file: shown, errors: quiet, onBytes: () => undefined, gb18030 };
    const xlsxOptions = { sheet: options.sheet, looksLikeHeader: (c: readonly string[]) => looksLikeHeader(c, vocab) };
    if (p.kind === 'xlsx') await readXlsx(path, xlsxOptions, ctx, sink);
    else await readCsv(path, encoding, ctx, sink);
  }
  for (const s of ledger.suspects) {
    const first = wanted.get(`${s.hi}:${s.lo}`);
    if (first && first.id !== s.id) continue; // a 64-bit hash collision, not a duplicate
    collector.add(
      msg.duplicateId({ file: s.file, row: s.row, column: s.column, value: s.id }, first?.file ?? s.file, first?.row ?? s.row),
      s.fileIndex,
    );
  }
}

// The one adapter between a book and its folder: DuckDB (`book.duckdb`) for events, transactions, claim rows and the
// audit log; `files/<sha256>` for each batch's original bytes. Every command is one database transaction, so a
// crash leaves the book as it was before the command; files are written before the commit and a file no event
// names is removed when the book is next opened.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openClaimFiles, parseMapping } from '../claims/index.js';
import type { ClaimSource, ClaimVisitor } from '../claims/source.js';
import type { Fen } from '../domain/money.js';
import type { Claim } from '../domain/types.js';
import type { BookClaims } from './compute.js';
import type { BookTransaction } from './postings.js';
import type { BatchRecord, BookEvent } from './state.js';

export const BOOK_FORMAT = 1;
const DB_FILE = 'book.duckdb';

type Vector = { getItem(i: number): unknown };
type MutableClaim = { -readonly [K in keyof Claim]: Claim[K] };

const NEEDS_QUOTES = /[",\n\r\\]/;
const quote = (s: string): string => (s === '' || !NEEDS_QUOTES.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
const NULL = '\\N';
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const optFen = (v: Fen | undefined): string => (v === undefined ? NULL : String(v));
const readOptFen = (v: unknown): Fen | undefined => (v === null || v === undefined ? undefined : Number(v));

/**
 * The claim columns a book stores, one list for the table, the CSV it loads from and the rows it reads back:
 * [column, SQL type, the CSV text of a claim's value, how a stored value goes back into a Claim].
 */
const CLAIM_COLUMNS: ReadonlyArray<readonly [string, string, (c: Claim) => string, (c: MutableClaim, v: unknown) => void]> = [
  ['claim_id', 'VARCHAR', (c) => quote(c.claimId), (c, v) => (c.claimId = str(v))],
  ['patient_id', 'VARCHAR', (c) => quote(c.patientId), (c, v) => (c.patientId = str(v))],
  ['category', 'VARCHAR', (c) => c.category, (c, v) => (c.category = str(v) as Claim['category'])],
  ['institution_id', 'VARCHAR', (c) => quote(c.institutionId), (c, v) => (c.institutionId = str(v))],
  ['out_of_region', 'BOOLEAN', (c) => String(c.outOfRegion), (c, v) => (c.outOfRegion = Boolean(v))],
  ['setting', 'VARCHAR', (c) => c.setting, (c, v) => (c.setting = str(v) as Claim['setting'])],
  ['service_date', 'VARCHAR', (c) => c.serviceDate, (c, v) => (c.serviceDate = str(v))],
  ['los_days', 'INTEGER', (c) => String(c.losDays), (c, v) => (c.losDays = Number(v))],
  ['drg_code', 'VARCHAR', (c) => quote(c.drgCode), (c, v) => (c.drgCode = str(v))],
  ['dip_code', 'VARCHAR', (c) => quote(c.dipCode), (c, v) => (c.dipCode = str(v))],
  ['total_cost', 'BIGINT', (c) => String(c.totalCost), (c, v) => (c.totalCost = Number(v))],
  ['fund_paid', 'BIGINT', (c) => String(c.fundPaid), (c, v) => (c.fundPaid = Number(v))],
  ['patient_paid', 'BIGINT', (c) => String(c.patientPaid), (c, v) => (c.patientPaid = Number(v))],
  ['reverses', 'VARCHAR', (c) => quote(c.reverses), (c, v) => (c.reverses = str(v))],
  ['referral', 'VARCHAR', (c) => c.referral ?? '', (c, v) => (c.referral = str(v) as Claim['referral'])],
  ['referred_from', 'VARCHAR', (c) => quote(c.referredFrom ?? ''), (c, v) => (c.referredFrom = str(v))],
  ['contract_type', 'VARCHAR', (c) => (c.contractType === undefined ? NULL : quote(c.contractType)), (c, v) => (c.contractType = v === null ? undefined : str(v))],
  ['critical_paid', 'BIGINT', (c) => optFen(c.criticalPaid), (c, v) => (c.criticalPaid = readOptFen(v))],
  ['assistance_paid', 'BIGINT', (c) => optFen(c.assistancePaid), (c, v) => (c.assistancePaid = readOptFen(v))],
  ['other_paid', 'BIGINT', (c) => optFen(c.otherPaid), (c, v) => (c.otherPaid = readOptFen(v))],
];

/**
 * One stored row as a CSV line: batch, row, month, then the claim columns in CLAIM_COLUMNS order. Written out as one
 * template (it runs for every row of every import); a test holds it equal to the column list's own writers.
 */
export function claimCsvLine(batch: number, row: number, month: number, c: Claim): string {
  return `${batch},${row},${month},${quote(c.claimId)},${quote(c.patientId)},${c.category},${quote(c.institutionId)},${c.outOfRegion},${c.setting},${c.serviceDate},${c.losDays},${quote(c.drgCode)},${quote(c.dipCode)},${c.totalCost},${c.fundPaid},${c.patientPaid},${quote(c.reverses)},${c.referral ?? ''},${quote(c.referredFrom ?? '')},${c.contractType === undefined ? NULL : quote(c.contractType)},${optFen(c.criticalPaid)},${optFen(c.assistancePaid)},${optFen(c.otherPaid)}\n`;
}

/** The same line through the column list (for the test that keeps the two equal). */
export function claimCsvLineByColumns(batch: number, row: number, month: number, c: Claim): string {
  let line = `${batch},${row},${month}`;
  for (const col of CLAIM_COLUMNS) line += `,${col[2](c)}`;
  return `${line}\n`;
}

/** A claim read back from the vectors of a result chunk (columns after `offset` in CLAIM_COLUMNS order). */
function claimFrom(vectors: readonly Vector[], offset: number, j: number): Claim {
  const c = {} as MutableClaim;
  for (let k = 0; k < CLAIM_COLUMNS.length; k++) {
    const v = vectors[offset + k].getItem(j);
    CLAIM_COLUMNS[k][3](c, v);
  }
  return c;
}

/**
 * Writes validated rows as canonical CSV into the book's temp folder, a chunk file at a time, and loads each chunk
 * into the claims table as soon as it is complete, while the caller goes on reading (DuckDB loads in its own
 * threads). Inside the caller's database transaction.
 */
/** An XLSX (zip) file, by its first bytes. */
function isZip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    closeSync(fd);
  }
}

export class RowSpool {
  private static readonly CHUNK_ROWS = 131_072;
  private buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private fd = -1;
  private chunk = 0;
  private rowsInChunk = 0;
  private loading: Promise<void> = Promise.resolve();
  private failed: unknown;

  constructor(
    private readonly store: BookStore,
    private readonly name: string,
  ) {}

  add(batch: number, row: number, month: number, claim: Claim): void {
    const line = claimCsvLine(batch, row, month, claim);
    if (this.fd < 0) this.fd = openSync(this.path(this.chunk), 'w');
    if (this.used + line.length * 3 > this.buffer.length) this.flush();
    this.used += this.buffer.write(line, this.used);
    if (++this.rowsInChunk === RowSpool.CHUNK_ROWS) this.endChunk();
  }

  /** Runs the reading, then waits for every chunk to be loaded — also when the reading fails (no load in flight). */
  async around<T>(read: () => Promise<T>): Promise<T> {
    let out: T;
    try {
      out = await read();
    } catch (e) {
      await this.loading;
      throw e;
    }
    await this.finish();
    return out;
  }

  /** Waits for every chunk to be loaded; throws the first load error. */
  async finish(): Promise<void> {
    if (this.rowsInChunk > 0) this.endChunk();
    await this.loading;
    if (this.failed !== undefined) throw this.failed;
  }

  private path(k: number): string {
    return this.store.tempPath(`${this.name}-${k}.csv`);
  }

  private flush(): void {
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  private endChunk(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    const path = this.path(this.chunk++);
    this.rowsInChunk = 0;
    this.loading = this.loading.then(async () => {
      if (this.failed !== undefined) return;
      try {
        await this.store.loadRows(path);
      } catch (e) {
        this.failed = e;
      } finally {
        rmSync(path, { force: true });
      }
    });
  }
}

export class BookStore implements BookClaims {
  private constructor(
    readonly dir: string,
    private readonly instance: DuckDBInstance,
    readonly db: DuckDBConnection,
  ) {}

  static exists(dir: string): boolean {
    return existsSync(join(dir, DB_FILE));
  }

  /** Opens (or creates) the book's database; removes temporary files and files no event names. */
  static async open(dir: string, create = false): Promise<BookStore> {
    mkdirSync(join(dir, 'files'), { recursive: true });
    rmSync(join(dir, 'tmp'), { recursive: true, force: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    // Bounded memory: DuckDB spills to its temp folder beyond this, so a 1M-row import stays within 400 MB. One
    // thread: the importer reads and checks on the other core while DuckDB loads the rows. Both can be raised for a
    // larger machine (YIBAO_DUCKDB_THREADS, YIBAO_DUCKDB_MEMORY, e.g. 4 and 1GB).
    const instance = await DuckDBInstance.create(join(dir, DB_FILE), {
      threads: process.env.YIBAO_DUCKDB_THREADS ?? '1',
      memory_limit: process.env.YIBAO_DUCKDB_MEMORY ?? '64MB',
      preserve_insertion_order: 'false',
      temp_directory: join(dir, 'tmp', 'duckdb'),
    });
    const db = await instance.connect();
    const store = new BookStore(dir, instance, db);
    if (create) await store.createSchema();
    await store.removeOrphanFiles();
    return store;
  }

  private async createSchema(): Promise<void> {
    const cols = CLAIM_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ');
    await this.db.run(`
      CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
      CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, recorded_at VARCHAR NOT NULL, payload VARCHAR NOT NULL);
      CREATE TABLE IF NOT EXISTS transactions (seq INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, date VARCHAR NOT NULL, content VARCHAR NOT NULL, prev VARCHAR NOT NULL, hash VARCHAR NOT NULL);
      CREATE TABLE IF NOT EXISTS claims (batch INTEGER NOT NULL, row INTEGER NOT NULL, month INTEGER NOT NULL, ${cols});
      CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, recorded_at VARCHAR NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, detail VARCHAR NOT NULL);
      INSERT OR REPLACE INTO meta VALUES ('format', '${BOOK_FORMAT}');
    `);
  }

  async close(): Promise<void> {
    this.db.closeSync();
    this.instance.closeSync();
  }

  get filesDir(): string {
    return join(this.dir, 'files');
  }

  filePath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, 'files', sha256);
  }

  tempPath(name: string): string {
    return join(this.dir, 'tmp', name);
  }

  /** Keeps bytes under their hash: written to a temp file, then renamed (never a partial file under the name). */
  private place(sha256: string, write: (tmp: string) => void): void {
    const target = this.filePath(sha256);
    if (existsSync(target)) return;
    const tmp = this.tempPath(`${sha256}.part`);
    write(tmp);
    renameSync(tmp, target);
  }

  saveFile(sha256: string, bytes: Uint8Array): void {
    this.place(sha256, (tmp) => writeFileSync(tmp, bytes));
  }

  copyFile(sha256: string, source: string): void {
    this.place(sha256, (tmp) => copyFileSync(source, tmp));
  }

  private async removeOrphanFiles(): Promise<void> {
    const known = new Set<string>();
    try {
      const r = await this.db.runAndReadAll(`SELECT payload FROM events WHERE kind IN ('import', 'open', 'amend')`);
      for (const [p] of r.getRows()) {
        const e = JSON.parse(String(p)) as BookEvent;
        if (e.kind === 'import') known.add(e.batch.sha256);
        if (e.kind === 'open' || e.kind === 'amend') for (const a of e.version.attachments ?? []) known.add(a.sha256);
      }
    } catch {
      return; // a new book: no events table yet
    }
    for (const f of readdirSync(join(this.dir, 'files'))) if (!known.has(f)) rmSync(join(this.dir, 'files', f), { force: true });
  }

  async events(): Promise<BookEvent[]> {
    const r = await this.db.runAndReadAll('SELECT payload FROM events ORDER BY seq');
    return r.getRows().map(([p]) => JSON.parse(String(p)) as BookEvent);
  }

  async transactions(): Promise<Array<{ seq: number; kind: string; content: string; prev: string; hash: string }>> {
    const r = await this.db.runAndReadAll('SELECT seq, kind, content, prev, hash FROM transactions ORDER BY seq');
    return r.getRows().map(([seq, kind, content, prev, hash]) => ({
      seq: Number(seq),
      kind: String(kind),
      content: String(content),
      prev: String(prev),
      hash: String(hash),
    }));
  }

  async begin(): Promise<void> {
    await this.db.run('BEGIN TRANSACTION');
  }

  async commit(): Promise<void> {
    await this.db.run('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.db.run('ROLLBACK');
  }

  /** Appends an event, its transactions and an audit line (inside the caller's database transaction). */
  async append(seq: number, event: BookEvent, posted: readonly BookTransaction[], content: (t: BookTransaction) => string, actor: string, detail: string): Promise<void> {
    await this.db.run('INSERT INTO events VALUES ($1, $2, $3, $4)', [seq, event.kind, event.at, JSON.stringify(event)]);
    for (const t of posted) {
      await this.db.run('INSERT INTO transactions VALUES ($1, $2, $3, $4, $5, $6)', [t.seq, t.kind, t.date, content(t), t.prev, t.hash]);
    }
    await this.audit(event.at, actor, event.kind, detail);
  }

  async audit(at: string, actor: string, action: string, detail: string): Promise<void> {
    const r = await this.db.runAndReadAll('SELECT coalesce(max(seq), 0) FROM audit');
    const next = Number(r.getRows()[0][0]) + 1;
    await this.db.run('INSERT INTO audit VALUES ($1, $2, $3, $4, $5)', [next, at, actor, action, detail]);
  }

  /** Loads a batch's canonical rows (written by `claimCsvLine`) into the claims table. */
  async loadRows(csvPath: string): Promise<void> {
    const cols = ['batch', 'row', 'month', ...CLAIM_COLUMNS.map(([n]) => n)];
    const types = ['INTEGER', 'INTEGER', 'INTEGER', ...CLAIM_COLUMNS.map(([, t]) => t)];
    const columns = cols.map((c, i) => `'${c}': '${types[i]}'`).join(', ');
    // The path is the book's own temp file (never user input); COPY takes no parameters.
    if (!/^[\w./-]+$/.test(csvPath)) throw new Error(`unexpected temp path ${csvPath}`);
    await this.db.run(
      `INSERT INTO claims SELECT * FROM read_csv('${csvPath}', header = false, columns = {${columns}}, quote = '"', escape = '"', all_varchar = false, auto_detect = false, null_padding = false, nullstr = '\\N', allow_quoted_nulls = false)`,
    );
  }

  /** Σ |total_cost| over every stored row (exact: DuckDB sums BIGINT into HUGEINT). */
  async absoluteCostTotal(): Promise<bigint> {
    const r = await this.db.runAndReadAll('SELECT coalesce(sum(abs(total_cost)), 0)::VARCHAR FROM claims');
    return BigInt(String(r.getRows()[0][0]));
  }

  /** Duplicate claim ids between a new batch and the earlier ones (§12.6). */
  async duplicatesOf(batch: number): Promise<Array<{ row: number; id: string; firstBatch: number; firstRow: number }>> {
    const r = await this.db.runAndReadAll(
      `SELECT n.row, n.claim_id, min(o.batch), arg_min(o.row, o.batch)
         FROM claims n JOIN claims o ON n.claim_id = o.claim_id AND o.batch < n.batch
        WHERE n.batch = $1 GROUP BY n.row, n.claim_id ORDER BY n.row LIMIT 10000`,
      [batch],
    );
    return r.getRows().map(([row, id, fb, fr]) => ({ row: Number(row), id: String(id), firstBatch: Number(fb), firstRow: Number(fr) }));
  }

  /**
   * A reversal in batch `batch` whose original is in an earlier batch: the original's row, whether it is itself a
   * reversal, whether an earlier row already reversed it, and whether it negates it (the same institution and pricing
   * fields, the amounts negated: ledger.ts's fingerprint, compared exactly).
   */
  async reversalOriginal(
    batch: number,
    row: number,
    original: string,
  ): Promise<{ found: boolean; isReversal: boolean; alreadyReversed: boolean; negates: boolean }> {
    const r = await this.db.runAndReadAll(
      `SELECT o.reverses <> '' AS is_rev,
              EXISTS (SELECT 1 FROM claims x WHERE x.reverses = o.claim_id AND x.batch < $1) AS already,
              (n.institution_id = o.institution_id AND n.total_cost = -o.total_cost AND n.fund_paid = -o.fund_paid AND n.patient_paid = -o.patient_paid
               AND n.category = o.category AND n.out_of_region = o.out_of_region AND n.setting = o.setting AND n.los_days = o.los_days
               AND n.drg_code = o.drg_code AND n.dip_code = o.dip_code AND coalesce(n.referral, '') = coalesce(o.referral, '')) AS negates
         FROM claims o, claims n
        WHERE o.claim_id = $3 AND o.batch < $1 AND n.batch = $1 AND n.row = $2
        LIMIT 1`,
      [batch, row, original],
    );
    const rows = r.getRows();
    if (rows.length === 0) return { found: false, isReversal: false, alreadyReversed: false, negates: false };
    const [isRev, already, negates] = rows[0];
    return { found: true, isReversal: Boolean(isRev), alreadyReversed: Boolean(already), negates: Boolean(negates) };
  }

  /**
   * Every row of the batches: a CSV batch is read again from its original file through the importer (as fast as
   * `settle`; reading stored rows back out of DuckDB costs about 4 µs a row), an XLSX batch from its stored rows.
   * `verify` holds the two equal, row by row.
   */
  async scanBatches(batches: readonly BatchRecord[], visit: ClaimVisitor): Promise<number> {
    let n = 0;
    for (const b of batches) {
      const path = this.filePath(b.sha256);
      if (isZip(path)) {
        n += await this.scan({ throughBatch: b.seq, batch: b.seq }, visit);
        continue;
      }
      const scan = await this.originalSource(b).scan(visit);
      if (scan.errorCount > 0 || scan.rows !== b.rows) {
        throw new Error(`batch ${b.seq} (${b.file}) no longer reads as it was imported (${scan.errorCount} errors, ${scan.rows} of ${b.rows} rows): run book verify`);
      }
      n += scan.rows;
    }
    return n;
  }

  /** A batch's original file read again through the importer, the way it was imported (its encoding, sheet, mapping). */
  originalSource(b: BatchRecord): ClaimSource {
    return openClaimFiles([{ path: this.filePath(b.sha256), shown: `batch ${b.seq}` }], {
      encoding: b.options.encoding,
      sheet: b.options.sheet,
      mapping: b.options.mapping === undefined ? undefined : parseMapping(b.options.mapping, 'mapping'),
      progress: false,
      deferUnknownReversals: true,
    });
  }

  /** Streams stored claims (a single batch in row order; otherwise in no particular order). */
  async scan(filter: { readonly throughBatch: number; readonly month?: number; readonly batch?: number }, visit: ClaimVisitor): Promise<number> {
    const where = ['batch <= $1'];
    const params: number[] = [filter.throughBatch];
    if (filter.month !== undefined) {
      params.push(filter.month);
      where.push(`month = $${params.length}`);
    }
    if (filter.batch !== undefined) {
      params.push(filter.batch);
      where.push(`batch = $${params.length}`);
    }
    const cols = ['batch', 'row', ...CLAIM_COLUMNS.map(([n]) => n)].join(', ');
    // Pricing does not depend on the order of the rows (DOMAIN.md §7.4); a single batch is read in row order.
    const order = filter.batch !== undefined ? ' ORDER BY row' : '';
    const result = await this.db.stream(`SELECT ${cols} FROM claims WHERE ${where.join(' AND ')}${order}`, params);
    const files = new Map<number, string>();
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const v = Array.from({ length: CLAIM_COLUMNS.length + 2 }, (_, i) => chunk.getColumnVector(i));
      for (let j = 0; j < chunk.rowCount; j++) {
        const batch = Number(v[0].getItem(j));
        const claim = claimFrom(v, 2, j);
        let file = files.get(batch);
        if (file === undefined) {
          file = `batch ${batch}`;
          files.set(batch, file);
        }
        visit(claim, { file, row: Number(v[1].getItem(j)) });
        n++;
      }
    }
    return n;
  }
}

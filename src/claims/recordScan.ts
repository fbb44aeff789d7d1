// The bulk tier of the CSV fast path: wasm/recordScan.ts (AssemblyScript, compiled to dist/claims/recordScan.wasm)
// reads runs of plain records in place and writes them as encoded claims, exactly as FastRowChecker.encode would.
// On this machine a loop over bytes costs about 2.5 ns a byte in JavaScript and under 1 ns in WebAssembly; the
// records it takes skip the per-cell slicing, Map lookups and calls of the JavaScript path.
//
// It decides nothing about a cell's meaning: every memo cell it meets for the first time is handed back (NEED), and
// FastRowChecker looks it up in its own memo — RowChecker's functions of the text — and registers the entry; a cell
// the memo refuses is never registered, so its row goes to the JavaScript path, which hands it to RowChecker.
// Every record it does not take (a quote, spaces, an id beyond ASCII, amounts it does not read, a row the checks
// refuse) is left, untouched, to the JavaScript path. test/claims/record-scan.test.ts holds the tiers equal.
//
// On the reader thread it also enters the rows it takes into the claim-id ledger (`keepLedger`): the ledger's table
// is moved into the module's memory for the file (past the text; moved again when the text outgrows its room, copied
// back out when the ledger is handed over), and the module probes it as ClaimLedger.flush does, in row order. It
// stops after a reversal row (YIELD), which the reader thread gives the ledger itself, and leaves the ledger alone
// while a reversal waits for its original (ClaimLedger.tableForBulk). Each row it entered is marked (IN_LEDGER).
import { compiledWasm } from '../lib/wasm.js';
import { withRoom } from '../lib/typedArrays.js';
import { COLUMN_INDEX, type Column } from './columns.js';
import type { EncodedClaims, MemoValues } from './fastRows.js';
import type { ClaimLedger } from './ledger.js';
import {
  CONTROL,
  F_ID,
  F_ID_HASH,
  F_ROW,
  FIELDS,
  ID_TEXT,
  MAX_CELLS,
  P_CELLS,
  P_CONTRACT_COLUMN,
  P_DELIM,
  P_FROM_COLUMN,
  P_FUND_COLUMNS,
  P_LEDGER,
  P_LEDGER_ROOM,
  P_LEDGER_SLOTS,
  P_MAX_CELL,
  P_REFERRAL_COLUMN,
  P_ROLES,
  R_IDS,
  R_INSERTED,
  R_NEED_E,
  R_NEED_MEMO,
  R_NEED_S,
  R_POS,
  R_ROWS,
  R_SUSPECTS,
  STRIDE,
} from './scanLayout.js';


/** The module's fields, in its order (wasm/recordScan.ts CLAIM_ID …), as claims columns. */
const FIELD_COLUMNS: readonly Column[] = [
  'claim_id',
  'patient_id',
  'reverses',
  'institution_id',
  'category',
  'setting',
  'out_of_region',
  'service_date',
  'los_days',
  'referral',
  'total_cost',
  'fund_paid',
  'patient_paid',
  'critical_paid',
  'assistance_paid',
  'other_paid',
  'drg_code',
  'dip_code',
  'referred_from',
  'contract_type',
];
/** The module's memo numbers (wasm/recordScan.ts M_*), by FastRowChecker memo name. */
export type MemoName = keyof MemoValues;
if (FIELD_COLUMNS.length !== FIELDS) throw new Error('recordScan: FIELD_COLUMNS and scanLayout.ts FIELDS disagree');
const MEMO_IDS: readonly MemoName[] = ['institution', 'category', 'setting', 'flag', 'date', 'referral', 'drg', 'dip', 'referredFrom', 'contract'];


const STOP = 0;
const FULL = 1;
const NEED = 2;
const YIELD = 3;
/** Bytes of memory the module may read past the text (it reads 16-byte blocks and 8-byte words). */
const SLACK = 32;

interface Exports {
  memory: WebAssembly.Memory;
  textBase(): number;
  outBase(): number;
  idsBase(): number;
  suspectsBase(): number;
  register(memo: number, s: number, e: number, entry: number, flag: number, hash: number): number;
  scan(pos: number, n: number, row: number, idsBase: number): number;
}

/** Where the compiled module lies: beside this file once built, or in dist/ when this runs from the sources. */
const LOCATIONS = [new URL('./recordScan.wasm', import.meta.url), new URL('../../dist/claims/recordScan.wasm', import.meta.url)];

/**
 * The compiled module, or undefined when it is not built or YIBAO_CSV_WASM=never (then the JavaScript path reads
 * every record). The caller keeps it: one per thread that reads CSV files.
 */
export function loadRecordScan(): WebAssembly.Module | undefined {
  return compiledWasm(LOCATIONS);
}

/** Where `scan` stopped, and why. */
export interface ScanResult {
  status: number;
  pos: number;
  /** With NEED: the memo and the cell text[s, e) whose entry is unknown. */
  memo: MemoName;
  s: number;
  e: number;
}

/** The claim-id ledger the module enters rows into, and what names a suspect it finds (ledger.ts Suspect). */
export interface BulkLedger {
  readonly ledger: ClaimLedger;
  readonly file: string;
  readonly fileIndex: number;
  /** The claim id column's label. */
  readonly column: string;
}

const PAGE = 65536;

/** One instance of the module, set up for one header. */
export class RecordScan {
  private readonly x: Exports;
  private i32!: Int32Array;
  private u8!: Uint8Array;
  private f64!: Float64Array;
  private readonly textBase: number;
  private readonly outBase: number;
  private readonly idsAt: number;
  private readonly suspectsAt: number;
  /** The text last copied in (see `load`). */
  private loaded = -1;
  private bulkLedger: BulkLedger | undefined;
  /** The ledger's table in memory (a view the ledger holds), from byte ledgerAt on; undefined until first used. */
  private ledgerTable: Uint32Array | undefined;
  private ledgerAt = 0;
  /** The table's length (its view's is 0 once memory grew). */
  private ledgerLength = 0;
  readonly result: ScanResult = { status: STOP, pos: 0, memo: 'institution', s: 0, e: 0 };

  /**
   * `index`: the header's cell index of each claims column (-1 when absent). Undefined when a column lies beyond the
   * cells the module keeps track of.
   */
  static create(
    module: WebAssembly.Module,
    index: Int32Array,
    shape: { readonly fundColumns: boolean; readonly referredFromColumn: boolean; readonly contractColumn: boolean },
  ): RecordScan | undefined {
    for (const c of FIELD_COLUMNS) if (index[COLUMN_INDEX[c]] >= MAX_CELLS) return undefined;
    const x = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('recordScan: abort'); } } }).exports as unknown as Exports;
    return new RecordScan(x, index, shape);
  }

  private constructor(
    x: Exports,
    index: Int32Array,
    shape: { readonly fundColumns: boolean; readonly referredFromColumn: boolean; readonly contractColumn: boolean },
  ) {
    this.x = x;
    this.textBase = x.textBase();
    this.outBase = x.outBase();
    this.idsAt = x.idsBase();
    this.suspectsAt = x.suspectsBase();
    this.views();
    const p = this.i32;
    p.fill(0, 0, CONTROL);
    for (let c = 0; c < MAX_CELLS; c++) p[P_ROLES + c] = -1;
    let maxCell = 0;
    FIELD_COLUMNS.forEach((c, f) => {
      const cell = index[COLUMN_INDEX[c]];
      p[P_CELLS + f] = cell;
      if (cell >= 0) p[P_ROLES + cell] = f;
      maxCell = Math.max(maxCell, cell);
    });
    p[P_MAX_CELL] = maxCell;
    p[P_FUND_COLUMNS] = shape.fundColumns ? 1 : 0;
    p[P_REFERRAL_COLUMN] = index[COLUMN_INDEX.referral] >= 0 ? 1 : 0;
    p[P_FROM_COLUMN] = shape.referredFromColumn ? 1 : 0;
    p[P_CONTRACT_COLUMN] = shape.contractColumn ? 1 : 0;
  }

  /** New views of memory (after it grew, the old ones are detached): the ledger is handed its table's new view. */
  private views(): void {
    const b = this.x.memory.buffer;
    this.i32 = new Int32Array(b);
    this.u8 = new Uint8Array(b);
    this.f64 = new Float64Array(b);
    if (this.ledgerTable !== undefined) this.pointLedger();
  }

  /** The ledger's table is ledgerLength numbers from byte ledgerAt on: a new view, handed to the ledger. */
  private pointLedger(): void {
    this.ledgerTable = new Uint32Array(this.x.memory.buffer, this.ledgerAt, this.ledgerLength);
    (this.bulkLedger as BulkLedger).ledger.moveTable(this.ledgerTable);
  }

  /** Memory of at least `bytes` bytes. */
  private reserve(bytes: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.x.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.views();
  }

  /** Copies text `generation` (its first n bytes) in, unless it is the one already there. */
  load(bytes: Uint8Array, n: number, generation: number): void {
    if (generation === this.loaded) return;
    const need = this.textBase + n + SLACK;
    if (this.ledgerTable !== undefined && need > this.ledgerAt) {
      // The text outgrows its room: the ledger's table moves up, past it.
      const to = Math.ceil(need / PAGE) * PAGE;
      const size = this.ledgerLength * 4;
      this.reserve(to + size);
      this.u8.copyWithin(to, this.ledgerAt, this.ledgerAt + size);
      this.ledgerAt = to;
      this.views();
    }
    this.reserve(need);
    this.u8.set(bytes.subarray(0, n), this.textBase);
    this.loaded = generation;
  }

  /** From the next scan on, the rows taken go into this ledger too (see the file's head). */
  keepLedger(link: BulkLedger): void {
    this.bulkLedger = link;
  }

  /**
   * Sets the ledger the next scan call enters rows into (P_LEDGER, its slots and its room; none while the ledger
   * has no room for the module: a reversal waits). Returns whether there is one.
   */
  private ledgerForScan(): boolean {
    const ledger = this.bulkLedger?.ledger;
    const room = ledger === undefined ? 0 : ledger.tableForBulk();
    if (ledger !== undefined && room > 0 && ledger.table !== this.ledgerTable) this.hostLedger(ledger);
    const p = this.i32;
    p[P_LEDGER] = room > 0 ? this.ledgerAt : 0;
    p[P_LEDGER_SLOTS] = room > 0 ? this.ledgerLength / 3 : 0;
    p[P_LEDGER_ROOM] = room;
    return room > 0;
  }

  /**
   * A table not yet here: at the end of memory, in new pages (zero), and copied in unless the ledger had not
   * allocated it yet. When the ledger grew the table (a new one, twice the size, the old one's ids moved into it),
   * the new one takes the old one's place, the last thing in memory: memory holds one table, not each size it had.
   */
  private hostLedger(ledger: ClaimLedger): void {
    const table = ledger.table;
    const length = ledger.tableLength;
    const reused = this.ledgerTable !== undefined;
    const at = reused ? this.ledgerAt : Math.ceil(Math.max(this.x.memory.buffer.byteLength, this.textBase + SLACK) / PAGE) * PAGE;
    this.ledgerTable = undefined;
    this.reserve(at + length * 4);
    const here = new Uint32Array(this.x.memory.buffer, at, length);
    if (table.length > 0) here.set(table);
    else if (reused) here.fill(0); // (new pages are zero; the old table's are not)
    this.ledgerAt = at;
    this.ledgerLength = length;
    this.pointLedger();
  }

  /** After a scan call with the ledger: the count of ids entered, and each suspect, to the ledger. */
  private ledgerAfterScan(rows: number, idsBefore: number): void {
    const link = this.bulkLedger as BulkLedger;
    const p = this.i32;
    link.ledger.enteredInBulk(p[R_INSERTED]);
    const suspects = p[R_SUSPECTS];
    for (let j = 0; j < suspects; j++) {
      const k = p[this.suspectsAt / 4 + j];
      if (k < 0 || k >= rows) throw new Error(`recordScan: suspect row ${k} of ${rows}`);
      const b = this.outBase / 8 + k * STRIDE;
      const f = this.f64;
      const from = this.idsAt + f[b + F_ID] - ID_TEXT - idsBefore;
      const id = Buffer.from(this.u8.buffer, from, f[b + F_ID + 1] - f[b + F_ID]).toString('latin1');
      link.ledger.suspectInBulk(f[b + F_ID_HASH], f[b + F_ID_HASH + 1], id, link.file, link.fileIndex, f[b + F_ROW], link.column);
    }
  }

  /**
   * Reads records of the loaded text from `pos` (of `n` bytes), the first being row `row`, with `delim` between
   * cells; writes the claims it takes as the next rows of `out` (growing it as needed). Returns `result`.
   */
  scan(pos: number, n: number, row: number, delim: number, out: EncodedClaims): ScanResult {
    const r = this.result;
    for (;;) {
      const withLedger = this.ledgerForScan(); // (may grow memory: this.i32 is read after it)
      const p = this.i32;
      p[P_DELIM] = delim;
      const status = this.x.scan(pos, n, row, out.idsLength);
      const rows = p[R_ROWS];
      if (withLedger) this.ledgerAfterScan(rows, out.idsLength);
      if (rows > 0) {
        // The rows' ids, which their id offsets (from ID_TEXT on) point into.
        const idBytes = p[R_IDS];
        out.ids = withRoom(out.ids, out.idsLength + idBytes);
        out.ids.set(this.u8.subarray(this.idsAt, this.idsAt + idBytes), out.idsLength);
        out.idsLength += idBytes;
        out.nums = withRoom(out.nums, (out.count + rows) * STRIDE);
        const o = this.outBase / 8;
        out.nums.set(this.f64.subarray(o, o + rows * STRIDE), out.count * STRIDE);
        out.count += rows;
        row += rows;
      }
      pos = p[R_POS];
      if (status === FULL) continue;
      r.status = status;
      r.pos = pos;
      if (status === NEED) {
        r.memo = MEMO_IDS[p[R_NEED_MEMO]];
        r.s = p[R_NEED_S];
        r.e = p[R_NEED_E];
      }
      return r;
    }
  }

  /**
   * Registers memo's cell text[s, e) of the loaded text as `entry`, with `flag` (setting: 1 for inpatient) and
   * `hash` (fields.ts institutionHash of the value's text: the fingerprint's part); false when the module has no
   * room for it.
   */
  register(memo: MemoName, s: number, e: number, entry: number, flag: number, hash: number): boolean {
    return this.x.register(MEMO_IDS.indexOf(memo), s, e, entry, flag, hash | 0) === 1;
  }

  static readonly STOP = STOP;
  static readonly NEED = NEED;
  /** With a ledger: stopped after a reversal row, which the caller gives the ledger before scanning on. */
  static readonly YIELD = YIELD;
}

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
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRoom } from '../lib/typedArrays.js';
import { COLUMN_INDEX, type Column } from './columns.js';
import type { EncodedClaims, MemoValues } from './fastRows.js';

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
const MEMO_IDS: readonly MemoName[] = ['institution', 'category', 'setting', 'flag', 'date', 'referral', 'drg', 'dip', 'referredFrom', 'contract'];

const MAX_CELLS = 64;
const STRIDE = 27;
// Control block, in i32 units (wasm/recordScan.ts P_*, R_*).
const P_DELIM = 0;
const P_CELLS = 1;
const P_FUND_COLUMNS = 25;
const P_REFERRAL_COLUMN = 26;
const P_FROM_COLUMN = 27;
const P_CONTRACT_COLUMN = 28;
const P_MAX_CELL = 29;
const P_ROLES = 32;
const R_POS = 128;
const R_ROWS = 129;
const R_NEED_MEMO = 130;
const R_NEED_S = 131;
const R_NEED_E = 132;
const R_IDS = 135;

const STOP = 0;
const FULL = 1;
const NEED = 2;
/** Bytes of memory the module may read past the text (it reads 16-byte blocks and 8-byte words). */
const SLACK = 32;

interface Exports {
  memory: WebAssembly.Memory;
  textBase(): number;
  outBase(): number;
  idsBase(): number;
  register(memo: number, s: number, e: number, entry: number, flag: number): number;
  scan(pos: number, n: number, row: number, idsBase: number): number;
}

/** Where the compiled module lies: beside this file once built, or in dist/ when this runs from the sources. */
const LOCATIONS = [new URL('./recordScan.wasm', import.meta.url), new URL('../../dist/claims/recordScan.wasm', import.meta.url)];

/**
 * The compiled module, or undefined when it is not built or YIBAO_CSV_WASM=never (then the JavaScript path reads
 * every record). The caller keeps it: one per thread that reads CSV files.
 */
export function loadRecordScan(): WebAssembly.Module | undefined {
  if (process.env.YIBAO_CSV_WASM === 'never') return undefined;
  for (const url of LOCATIONS) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return new WebAssembly.Module(readFileSync(path));
  }
  return undefined;
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

/** One instance of the module, set up for one header. */
export class RecordScan {
  private readonly x: Exports;
  private i32!: Int32Array;
  private u8!: Uint8Array;
  private f64!: Float64Array;
  private readonly textBase: number;
  private readonly outBase: number;
  private readonly idsAt: number;
  /** The text last copied in (see `load`). */
  private loaded = -1;
  readonly result: ScanResult = { status: STOP, pos: 0, memo: 'institution', s: 0, e: 0 };

  /**
   * `index`: the header's cell index of each claims column (-1 when absent). Undefined when a column lies beyond the
   * cells the module keeps track of.
   */
  static create(
    module: WebAssembly.Module,
    /** fastRows.ts STRIDE: the numbers of an encoded claim (the module writes 27). */
    stride: number,
    index: Int32Array,
    shape: { readonly fundColumns: boolean; readonly referredFromColumn: boolean; readonly contractColumn: boolean },
  ): RecordScan | undefined {
    if (stride !== STRIDE) throw new Error(`recordScan: an encoded claim has ${stride} numbers, the module writes ${STRIDE}`);
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
    this.views();
    const p = this.i32;
    p.fill(0, 0, 160);
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

  private views(): void {
    const b = this.x.memory.buffer;
    this.i32 = new Int32Array(b);
    this.u8 = new Uint8Array(b);
    this.f64 = new Float64Array(b);
  }

  /** Copies text `generation` (its first n bytes) in, unless it is the one already there. */
  load(bytes: Uint8Array, n: number, generation: number): void {
    if (generation === this.loaded) return;
    const need = this.textBase + n + SLACK;
    if (need > this.x.memory.buffer.byteLength) {
      this.x.memory.grow(Math.ceil((need - this.x.memory.buffer.byteLength) / 65536));
      this.views();
    }
    this.u8.set(bytes.subarray(0, n), this.textBase);
    this.loaded = generation;
  }

  /**
   * Reads records of the loaded text from `pos` (of `n` bytes), the first being row `row`, with `delim` between
   * cells; writes the claims it takes as the next rows of `out` (growing it as needed). Returns `result`.
   */
  scan(pos: number, n: number, row: number, delim: number, out: EncodedClaims): ScanResult {
    const p = this.i32;
    p[P_DELIM] = delim;
    const r = this.result;
    for (;;) {
      const status = this.x.scan(pos, n, row, out.idsLength);
      const rows = p[R_ROWS];
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
   * Registers memo's cell text[s, e) of the loaded text as `entry`, with `flag` (setting: 1 for inpatient;
   * institution: fields.ts institutionHash of the value); false when the module has no room for it.
   */
  register(memo: MemoName, s: number, e: number, entry: number, flag: number): boolean {
    return this.x.register(MEMO_IDS.indexOf(memo), s, e, entry, flag) === 1;
  }

  static readonly STOP = STOP;
  static readonly NEED = NEED;
}

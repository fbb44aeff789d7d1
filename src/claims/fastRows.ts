// The row checks of rows.ts on a CSV record as it lies in the reader's buffer (csv.ts RawRecord), without a string
// per cell: the fast path for the rows that are fine, which is nearly all of them.
//
// Nothing here decides what a cell means. A cell of few distinct values (category, setting, flag, institution,
// DRG/DIP code, date, referral) is looked up by its raw text in a memo whose values are the RowChecker's own
// functions of that text (cellText, enumValue, normalizeCode, parseDate, the member look-alike rule); amounts and days
// are parsed in place with the same parsers (parseFenAt, parseCountAt) when the cell has no edge to trim; ids that are
// visible ASCII are their own normal form (normalizeCode returns them as they are). Whenever a row would be refused —
// or a value is one this path does not take as is — `encode` returns false, and the importer hands the record to
// RowChecker.check as cells: every message comes from there. test/claims/fast-rows.test.ts holds the two paths equal
// on random records, weird cells included.
//
// A checked row is written as numbers (EncodedClaims: offsets into the record's text, memo entries, amounts) and
// turned into a Claim by ClaimDecoder: at once when the file is read on the importer's thread, or on the importer's
// thread from a reader thread's messages (csvThread.ts), with the memos' new entries sent alongside.
import { blankClaim, type Category, type Claim, type ClaimToFill, type Referral, type Setting } from '../domain/types.js';
import { COLUMN_INDEX, type Vocabulary } from './columns.js';
import type { RawRecord } from './csv.js';
import { normalizeCode } from '../domain/codes.js';
import { digitsAt, institutionHash, MAX_CLAIM_FEN, parseCount, parseCountAt, parseDate, parseFen, parseFenAt } from './fields.js';
import { amountsRule, cellText, claimShape, enumValue, lookalikeOf, type ClaimShape, type Header, type RunRules } from './rows.js';
import { RecordScan, type BulkLedger } from './recordScan.js';
import {
  F_ASSISTANCE,
  F_CATEGORY,
  F_CONTRACT,
  F_CRITICAL,
  F_DATE,
  F_DIP,
  F_DRG,
  F_FINGERPRINT,
  F_FLAG,
  F_FROM,
  F_FUND,
  F_ID,
  F_ID_HASH,
  F_INSTITUTION,
  F_LOS,
  F_OTHER,
  F_PATIENT,
  F_PATIENT_ID,
  F_REFERRAL,
  F_REVERSES,
  F_ROW,
  F_SETTING,
  F_TOTAL,
  ID_TEXT,
  IN_LEDGER,
  MAX_CODE,
  STRIDE,
} from './scanLayout.js';
import { withRoom } from '../lib/typedArrays.js';

const C = COLUMN_INDEX;

/**
 * The values of one column by the raw text of the cell (its bytes as Latin-1 characters, so two different byte strings
 * are two different keys). A Map keyed by the cell's slice: V8 hashes and compares short strings natively, faster
 * than any loop over the characters here.
 */
export class RawMemo<T> {
  /** Entry i's value; entries are only ever appended. */
  readonly values: T[] = [];
  private readonly entries = new Map<string, number>();
  private empty = -1; // the entry of the empty cell, once known

  constructor(
    /** The column's value for a cell's decoded text, or undefined when the row would be refused (not memoised). */
    private readonly of: (text: string) => T | undefined,
    private readonly capacity: number,
  ) {}

  /**
   * The entry of text[s, e) (≥ 0); NONE when the row would be refused; or, when the memo is full, -2 - i for a value
   * pushed onto `side` at i.
   */
  get(r: RawRecord, s: number, e: number, side: unknown[]): number {
    if (s === e && this.empty >= 0) return this.empty; // an empty cell (most rows' DRG or DIP code)
    const key = r.text.slice(s, e);
    const at = this.entries.get(key);
    if (at !== undefined) return at;
    const value = this.of(decoded(r, s, e));
    if (value === undefined) return NONE;
    if (this.values.length >= this.capacity) {
      side.push(value);
      return -2 - (side.length - 1);
    }
    const entry = this.values.length;
    this.values.push(value);
    if (s === e) this.empty = entry;
    // A copy of the key: a slice of 13 characters or more would keep the whole chunk's text alive.
    this.entries.set(r.bytes.toString('latin1', s, e), entry);
    return entry;
  }
}

/** A memo lookup that found no value: the row goes to RowChecker. */
const NONE = -1;

/** A cell's text: its bytes decoded as UTF-8 (the record's text is one character per byte). */
function decoded(r: RawRecord, s: number, e: number): string {
  if (r.ascii) return r.text.slice(s, e);
  const text = r.text;
  for (let i = s; i < e; i++) if (text.charCodeAt(i) >= 0x80) return r.bytes.toString('utf8', s, e);
  return text.slice(s, e);
}

/** Whether a cell's text is what RowChecker.cell makes of it: nothing to trim at either end (quotes never get here). */
function plain(text: string, s: number, e: number): boolean {
  if (s === e) return true;
  const a = text.charCodeAt(s);
  const b = text.charCodeAt(e - 1);
  return a > 32 && a < 0x80 && b > 32 && b < 0x80;
}

/** Whether a plain cell is visible ASCII only: then it is its own normal form as a code. */
function asciiCode(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

const FAIL = NaN; // an amount the row checks refuse
const EMPTY = Infinity; // an optional amount left empty


/** Encoded claims of one stretch of text: `count` rows of STRIDE numbers, and the strings they refer to. */
export interface EncodedClaims {
  nums: Float64Array;
  count: number;
  /** The ids of the rows the bulk tier wrote: `idsLength` bytes (one character each). */
  ids: Uint8Array;
  idsLength: number;
  /** Values that are not text offsets or memo entries (ids that needed normalising, values past a full memo). */
  side: unknown[];
}

export function newEncoded(rows: number): EncodedClaims {
  return { nums: new Float64Array(rows * STRIDE), count: 0, ids: new Uint8Array(rows * 32), idsLength: 0, side: [] };
}

/** The memos' values as the decoder needs them (the reader thread sends the new entries with each message). */
export interface MemoValues {
  category: Category[];
  setting: Setting[];
  flag: boolean[];
  referral: Referral[];
  institution: string[];
  referredFrom: string[];
  drg: string[];
  dip: string[];
  date: string[];
  contract: string[];
}
export const MEMO_NAMES = ['category', 'setting', 'flag', 'referral', 'institution', 'referredFrom', 'drg', 'dip', 'date', 'contract'] as const;

export class FastRowChecker {
  readonly shape: ClaimShape;
  private readonly idx: Int32Array;
  private readonly memos: { [K in keyof MemoValues]: RawMemo<MemoValues[K][number]> };
  private readonly year: number | undefined;
  /** A YYYY-MM-DD date of the run's year by month × 32 + day: its memo entry. */
  private readonly dates = new Int32Array(13 * 32).fill(-1);
  // Where the last cell asked for lies in the record.
  private s = 0;
  private e = 0;
  /** The bulk tier (recordScan.ts), when its module is given and the header fits it. */
  private readonly scanner: RecordScan | undefined;
  private readonly scratch: unknown[] = [];

  constructor(header: Header, vocab: Vocabulary, rules: RunRules = {}, scanModule?: WebAssembly.Module) {
    this.idx = header.index;
    this.shape = claimShape(header);
    this.scanner = scanModule === undefined ? undefined : RecordScan.create(scanModule, header.index, this.shape);
    this.year = rules.year;
    const lookalike = lookalikeOf(rules);
    const yearPrefix = rules.year === undefined ? undefined : `${rules.year}-`;
    // The same functions of a cell's text as RowChecker.check, undefined where it would report an error.
    // A value longer than MAX_CODE is none (its row goes to RowChecker, which says code.tooLong).
    const short = (v: string) => (v.length > MAX_CODE ? undefined : v);
    const code = (t: string) => short(normalizeCode(cellText(t)));
    const member = (t: string) => {
      const c = code(t);
      return c === undefined || lookalike?.memberLike(c) !== undefined ? undefined : c;
    };
    this.memos = {
      category: new RawMemo((t) => enumValue(vocab.category, cellText(t)), 64),
      setting: new RawMemo((t) => enumValue(vocab.setting, cellText(t)), 64),
      flag: new RawMemo((t) => {
        const v = cellText(t);
        return v === '' ? false : enumValue(vocab.flag, v);
      }, 64),
      referral: new RawMemo((t) => {
        const v = cellText(t);
        return v === '' ? '' : enumValue(vocab.referral, v);
      }, 64),
      institution: new RawMemo((t) => {
        const c = member(t);
        return c === '' ? undefined : c;
      }, 4096),
      referredFrom: new RawMemo(member, 4096),
      drg: new RawMemo(code, 8192),
      dip: new RawMemo(code, 8192),
      date: new RawMemo((t) => {
        const v = cellText(t);
        const d = v === '' ? undefined : parseDate(v);
        return d === undefined || (yearPrefix !== undefined && !d.startsWith(yearPrefix)) ? undefined : d;
      }, 4096),
      contract: new RawMemo((t) => short(cellText(t)), 1024),
    };
  }

  /** The memos' values (live arrays: entries are appended as the file is read). */
  get values(): MemoValues {
    const m = this.memos;
    return {
      category: m.category.values,
      setting: m.setting.values,
      flag: m.flag.values,
      referral: m.referral.values,
      institution: m.institution.values,
      referredFrom: m.referredFrom.values,
      drg: m.drg.values,
      dip: m.dip.values,
      date: m.date.values,
      contract: m.contract.values,
    };
  }

  /** Sets this.s/this.e to column k's cell (an absent column reads as an empty cell). */
  private at(r: RawRecord, k: number): void {
    const i = this.idx[k];
    if (i < 0 || i >= r.count) {
      this.s = this.e = 0;
      return;
    }
    this.s = r.starts[i];
    this.e = r.ends[i];
  }

  /**
   * A code or id cell as RowChecker.code gives it, written at nums[f], nums[f + 1]; false when it is empty (the
   * value '' is written as the empty range 0, 0).
   */
  private code(r: RawRecord, k: number, out: EncodedClaims, f: number): boolean {
    this.at(r, k);
    const { s, e } = this;
    if (e - s > MAX_CODE) return false; // (maybe too long: RowChecker counts its characters)
    const nums = out.nums;
    if (s !== e) {
      // In an all-ASCII text a plain cell has no character that normalizeCode changes (those are beyond ASCII, or
      // spaces at the edges, which `plain` excludes).
      if (plain(r.text, s, e) && (r.ascii || asciiCode(r.text, s, e))) {
        nums[f] = s;
        nums[f + 1] = e;
        return true;
      }
      const v = normalizeCode(cellText(decoded(r, s, e)));
      if (v !== '') {
        out.side.push(v);
        nums[f] = -1 - (out.side.length - 1);
        nums[f + 1] = 0;
        return true;
      }
    }
    nums[f] = 0;
    nums[f + 1] = 0;
    return false;
  }

  /** Column k's memo entry (see RawMemo.get). */
  private memo(r: RawRecord, k: number, m: RawMemo<unknown>, side: unknown[]): number {
    this.at(r, k);
    return m.get(r, this.s, this.e, side);
  }

  /** An amount as RowChecker.amount gives it, FAIL where that reports an error, EMPTY for an empty optional cell. */
  private amount(r: RawRecord, k: number, required: boolean, reversal: boolean): number {
    this.at(r, k);
    const { s, e } = this;
    const text = r.text;
    let fen: number;
    if (s === e) return required ? FAIL : EMPTY;
    if (plain(text, s, e)) fen = parseFenAt(text, s, e);
    else {
      const v = cellText(decoded(r, s, e));
      if (v === '') return required ? FAIL : EMPTY;
      fen = parseFen(v);
    }
    if (Number.isNaN(fen) || fen > MAX_CLAIM_FEN || fen < -MAX_CLAIM_FEN) return FAIL;
    if (reversal ? fen > 0 : fen < 0) return FAIL;
    return fen;
  }

  /**
   * The service date's memo entry. A YYYY-MM-DD cell of the run's year is its own value when it is a real date
   * (parseDate's first case): its entry is kept by month and day, so the cell is read once, as digits.
   */
  private serviceDate(r: RawRecord, side: unknown[]): number {
    this.at(r, C.service_date);
    const { s, e } = this;
    const t = r.text;
    let key = -1;
    if (this.year !== undefined && e - s === 10 && t.charCodeAt(s + 4) === 45 && t.charCodeAt(s + 7) === 45) {
      const y = digitsAt(t, s, s + 4);
      const m = digitsAt(t, s + 5, s + 7);
      const d = digitsAt(t, s + 8, s + 10);
      if (y === this.year && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        key = m * 32 + d;
        const known = this.dates[key];
        if (known >= 0) return known;
      }
    }
    const entry = this.memos.date.get(r, s, e, side);
    if (key >= 0 && entry >= 0) this.dates[key] = entry;
    return entry;
  }

  /**
   * The bulk tier enters the rows it takes into this ledger too (the reader thread: recordScan.ts keepLedger); false
   * when there is no bulk tier for this header.
   */
  keepLedger(link: BulkLedger): boolean {
    this.scanner?.keepLedger(link);
    return this.scanner !== undefined;
  }

  /** Whether the last `bulk` stopped after a reversal row for the ledger (RecordScan.YIELD): bulk again after it. */
  get yielded(): boolean {
    return this.scanner?.result.status === RecordScan.YIELD;
  }

  /**
   * Writes the claims `encode` would write for the records of `r`'s text from `pos` (of `n` bytes) on, the first
   * being row `row`, as far as the bulk tier takes them (recordScan.ts): the next rows of `out`. Returns where it
   * stopped: the first record it did not take (then `encode` it, or ask RowChecker), or the end of the whole records.
   */
  bulk(r: RawRecord, pos: number, n: number, row: number, delim: number, out: EncodedClaims): number {
    const scan = this.scanner;
    if (scan === undefined) return pos;
    scan.load(r.bytes, n, r.generation);
    for (;;) {
      const before = out.count;
      const res = scan.scan(pos, n, row, delim, out);
      row += out.count - before;
      pos = res.pos;
      if (res.status !== RecordScan.NEED) return pos;
      // A memo cell the module has not met: its entry from the memo here (RowChecker's functions of its text).
      const memo = this.memos[res.memo] as RawMemo<unknown>;
      const entry = memo.get(r, res.s, res.e, this.scratch);
      this.scratch.length = 0;
      if (entry < 0) return pos; // refused: encode decides
      const value = memo.values[entry];
      // The setting's inpatient flag; every value's hash (fields.ts institutionHash of its text: the fingerprint's).
      const flag = res.memo === 'setting' ? (value === 'inpatient' ? 1 : 0) : 0;
      if (!scan.register(res.memo, res.s, res.e, entry, flag, institutionHash(String(value)))) return pos;
    }
  }

  /**
   * Writes the claim RowChecker.check would return for this record as the next row of `out`; false (nothing
   * written) when this path does not take the record: then ask RowChecker.
   */
  encode(r: RawRecord, row: number, out: EncodedClaims): boolean {
    const side = out.side;
    const sideBefore = side.length;
    const b = out.count * STRIDE;
    const n = (out.nums = withRoom(out.nums, b + STRIDE));
    n[b + F_ROW] = row;
    n[b + F_ID_HASH] = NaN;
    n[b + F_FINGERPRINT] = NaN;
    if (this.fill(r, out, b, n, side)) {
      out.count++;
      return true;
    }
    side.length = sideBefore; // nothing of a refused row stays
    return false;
  }

  /** Writes the fields of `encode`'s row at n[b …]; false as soon as one is refused. */
  private fill(r: RawRecord, out: EncodedClaims, b: number, n: Float64Array, side: unknown[]): boolean {
    const m = this.memos;
    if (!this.code(r, C.claim_id, out, b + F_ID)) return false;
    if (!this.code(r, C.patient_id, out, b + F_PATIENT_ID)) return false;
    if ((n[b + F_INSTITUTION] = this.memo(r, C.institution_id, m.institution, side)) === NONE) return false;
    if ((n[b + F_CATEGORY] = this.memo(r, C.category, m.category, side)) === NONE) return false;
    if ((n[b + F_SETTING] = this.memo(r, C.setting, m.setting, side)) === NONE) return false;
    if ((n[b + F_FLAG] = this.memo(r, C.out_of_region, m.flag, side)) === NONE) return false;
    if ((n[b + F_DATE] = this.serviceDate(r, side)) === NONE) return false;
    const setting = valueOf(m.setting.values, side, n[b + F_SETTING]);

    let losDays = 0;
    this.at(r, C.los_days);
    if (this.s !== this.e) {
      const { s, e } = this;
      if (plain(r.text, s, e)) losDays = parseCountAt(r.text, s, e);
      else {
        const v = cellText(decoded(r, s, e));
        losDays = v === '' ? (setting === 'inpatient' ? -1 : 0) : parseCount(v);
      }
      if (losDays < 0) return false;
    } else if (setting === 'inpatient') return false;
    n[b + F_LOS] = losDays;

    n[b + F_REFERRAL] = NONE;
    if (this.idx[C.referral] >= 0 && (n[b + F_REFERRAL] = this.memo(r, C.referral, m.referral, side)) === NONE) return false;

    const reversal = this.code(r, C.reverses, out, b + F_REVERSES);
    if (reversal && sameId(r, out, b + F_REVERSES, b + F_ID)) return false;

    const totalCost = this.amount(r, C.total_cost, true, reversal);
    const fundPaid = this.amount(r, C.fund_paid, true, reversal);
    const patientPaid = this.amount(r, C.patient_paid, false, reversal);
    let critical = 0;
    let assistance = 0;
    let other = 0;
    if (this.shape.fundColumns) {
      critical = this.amount(r, C.critical_paid, false, reversal);
      assistance = this.amount(r, C.assistance_paid, false, reversal);
      other = this.amount(r, C.other_paid, false, reversal);
      if (Number.isNaN(critical) || Number.isNaN(assistance) || Number.isNaN(other)) return false;
      if (critical === EMPTY) critical = 0;
      if (assistance === EMPTY) assistance = 0;
      if (other === EMPTY) other = 0;
    }
    if (Number.isNaN(totalCost) || Number.isNaN(fundPaid) || Number.isNaN(patientPaid)) return false;
    const patient = amountsRule(totalCost, fundPaid, patientPaid, fundPaid + critical + assistance + other);
    if (!Number.isInteger(patient)) return false;
    n[b + F_TOTAL] = totalCost;
    n[b + F_FUND] = fundPaid;
    n[b + F_PATIENT] = patient;
    n[b + F_CRITICAL] = critical;
    n[b + F_ASSISTANCE] = assistance;
    n[b + F_OTHER] = other;

    if ((n[b + F_DRG] = this.memo(r, C.drg_code, m.drg, side)) === NONE) return false;
    if ((n[b + F_DIP] = this.memo(r, C.dip_code, m.dip, side)) === NONE) return false;
    n[b + F_FROM] = NONE;
    if (this.shape.referredFromColumn && (n[b + F_FROM] = this.memo(r, C.referred_from, m.referredFrom, side)) === NONE) return false;
    if (this.shape.contractColumn) {
      if ((n[b + F_CONTRACT] = this.memo(r, C.contract_type, m.contract, side)) === NONE) return false;
    } else n[b + F_CONTRACT] = NONE;
    return true;
  }
}

/** Whether two encoded id cells hold the same id (of a row `encode` wrote: never in the ids). */
function sameId(r: RawRecord, out: EncodedClaims, f: number, g: number): boolean {
  const texts = { text: r.text, ids: '', idsFrom: 0 };
  return idText(texts, out.side, out.nums[f], out.nums[f + 1]) === idText(texts, out.side, out.nums[g], out.nums[g + 1]);
}

/**
 * The strings encoded ids point into: the text the rows were read from, and the ids the bulk tier copied out (as
 * Latin-1 text). Either may be made on first use (a getter).
 */
export interface IdTexts {
  readonly text: string;
  /** The ids from byte `idsFrom` of EncodedClaims.ids on. */
  readonly ids: string;
  readonly idsFrom: number;
}

function idText(texts: IdTexts, side: readonly unknown[], s: number, e: number): string {
  if (s === e) return ''; // an empty cell (0, 0): no text to make
  if (s < 0) return side[-1 - s] as string;
  if (s < ID_TEXT) return texts.text.slice(s, e);
  const from = ID_TEXT + texts.idsFrom;
  return texts.ids.slice(s - from, e - from);
}

/** The IdTexts of a message (csvThread.ts): its text and ids as bytes, each made a string on first use. */
export class BytesIdTexts implements IdTexts {
  readonly idsFrom = 0;
  private madeText: string | undefined;
  private madeIds: string | undefined;

  constructor(
    private readonly textBytes: Uint8Array | undefined,
    private readonly idBytes: Uint8Array | undefined,
  ) {}

  get text(): string {
    return (this.madeText ??= this.textBytes === undefined ? '' : latin1(this.textBytes));
  }

  get ids(): string {
    return (this.madeIds ??= this.idBytes === undefined ? '' : latin1(this.idBytes));
  }
}

/** The IdTexts of rows just encoded from a record's text: its text, and the ids `enc` holds from byte `idsFrom` on. */
export class RecordIdTexts implements IdTexts {
  private madeIds: string | undefined;

  constructor(
    private readonly r: RawRecord,
    private readonly enc: EncodedClaims,
    readonly idsFrom = 0,
  ) {}

  get text(): string {
    return this.r.text;
  }

  get ids(): string {
    return (this.madeIds ??= latin1(this.enc.ids.subarray(this.idsFrom, this.enc.idsLength)));
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function valueOf<T>(values: readonly T[], side: readonly unknown[], entry: number): T {
  return entry >= 0 ? values[entry] : (side[-2 - entry] as T);
}

/** What the claim-id ledger reads of an encoded claim (ClaimDecoder.ledgerRow), without making the claim. */
export interface LedgerRow {
  claimId: string;
  reverses: string;
  institutionId: string;
  totalCost: number;
  fundPaid: number;
  patientPaid: number;
  // The pricing fields (fields.ts PricingFields): a reversal must match its original's.
  category: string;
  outOfRegion: boolean;
  setting: string;
  losDays: number;
  drgCode: string;
  dipCode: string;
  referral: string;
  /** hash64 of the claim id, NaN when the row was encoded without it. */
  idHi: number;
  idLo: number;
  /** fields.ts fingerprintOf(institution, amounts, pricing fields), NaN when the row was encoded without it. */
  fingerprint: number;
  /** With a fingerprint: the claim id is texts.ids[idS, idE) (no string made for it until needed). */
  idS: number;
  idE: number;
}

/**
 * Encoded claims → Claim objects, with the same fields in the same order as RowChecker.check. The object is reused
 * from one claim to the next (ClaimSource: a visitor does not keep the Claim it is given).
 */
export class ClaimDecoder {
  private readonly out: ClaimToFill;
  // The row `claim` last decoded, for its ids (made when read).
  private nums: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private base = 0;
  private side: readonly unknown[] = [];
  private texts: IdTexts | undefined;

  constructor(
    private readonly shape: ClaimShape,
    private readonly values: MemoValues,
  ) {
    // The claim's two ids are strings made from the text only when read: the aggregation reads neither (a special
    // case, cost sharing's patients, the book and the workbook do). Enumerable getters in their places (a copy of the
    // claim, { ...claim }, and its keys' order are as with plain fields). Defined first, on an empty object: V8 keeps
    // such an object fast, not one whose field is redefined as a getter, nor a literal with getters.
    const fields: Record<string, unknown> = {};
    Object.defineProperty(fields, 'claimId', { enumerable: true, get: () => this.id(F_ID) });
    Object.defineProperty(fields, 'patientId', { enumerable: true, get: () => this.id(F_PATIENT_ID) });
    for (const [k, v] of Object.entries(blankClaim())) if (k !== 'claimId' && k !== 'patientId') fields[k] = v;
    const out = fields as ClaimToFill;
    if (shape.fundColumns) {
      out.criticalPaid = 0;
      out.assistancePaid = 0;
      out.otherPaid = 0;
    }
    if (shape.referralColumns) {
      out.referral = '';
      out.referredFrom = '';
    }
    if (shape.contractColumn) out.contractType = '';
    this.out = out;
  }

  /** The last decoded row's id cell at field f. */
  private id(f: number): string {
    const n = this.nums;
    const b = this.base;
    return idText(this.texts as IdTexts, this.side, n[b + f], n[b + f + 1]);
  }

  /** Row i of `enc`, whose ids point into `texts` (valid until the next call). */
  claim(enc: EncodedClaims, i: number, text: IdTexts): Claim {
    const n = enc.nums;
    const side = enc.side;
    const v = this.values;
    const b = i * STRIDE;
    const claim = this.out;
    this.nums = n;
    this.base = b;
    this.side = side;
    this.texts = text;
    this.pricingInto(n, b, side, claim);
    claim.institutionId = valueOf(v.institution, side, n[b + F_INSTITUTION]);
    claim.serviceDate = valueOf(v.date, side, n[b + F_DATE]);
    claim.totalCost = n[b + F_TOTAL];
    claim.fundPaid = n[b + F_FUND];
    claim.patientPaid = n[b + F_PATIENT];
    claim.reverses = idText(text, side, n[b + F_REVERSES], n[b + F_REVERSES + 1]);
    const shape = this.shape;
    if (shape.fundColumns) {
      claim.criticalPaid = n[b + F_CRITICAL];
      claim.assistancePaid = n[b + F_ASSISTANCE];
      claim.otherPaid = n[b + F_OTHER];
    }
    if (shape.referralColumns) {
      claim.referral = n[b + F_REFERRAL] === NONE ? '' : valueOf(v.referral, side, n[b + F_REFERRAL]);
      claim.referredFrom = shape.referredFromColumn ? valueOf(v.referredFrom, side, n[b + F_FROM]) : '';
    }
    if (shape.contractColumn) claim.contractType = valueOf(v.contract, side, n[b + F_CONTRACT]);
    return claim;
  }

  /** The pricing fields of the row at n[b …] (fields.ts PricingFields but referral), into a claim or a ledger row. */
  private pricingInto(
    n: Float64Array,
    b: number,
    side: readonly unknown[],
    into: { category: unknown; outOfRegion: unknown; setting: unknown; losDays: number; drgCode: unknown; dipCode: unknown },
  ): void {
    const v = this.values;
    into.category = valueOf(v.category, side, n[b + F_CATEGORY]);
    into.outOfRegion = valueOf(v.flag, side, n[b + F_FLAG]);
    into.setting = valueOf(v.setting, side, n[b + F_SETTING]);
    into.losDays = n[b + F_LOS];
    into.drgCode = valueOf(v.drg, side, n[b + F_DRG]);
    into.dipCode = valueOf(v.dip, side, n[b + F_DIP]);
  }

  /** Row i's fields for the ledger, the same as its claim's, written into `into`. */
  ledgerRow(enc: EncodedClaims, i: number, text: IdTexts, into: LedgerRow): void {
    const n = enc.nums;
    const side = enc.side;
    const b = i * STRIDE;
    into.claimId = idText(text, side, n[b + F_ID], n[b + F_ID + 1]);
    into.reverses = idText(text, side, n[b + F_REVERSES], n[b + F_REVERSES + 1]);
    const v = this.values;
    into.institutionId = valueOf(v.institution, side, n[b + F_INSTITUTION]);
    into.totalCost = n[b + F_TOTAL];
    into.fundPaid = n[b + F_FUND];
    into.patientPaid = n[b + F_PATIENT];
    this.pricingInto(n, b, side, into);
    into.referral = this.shape.referralColumns && n[b + F_REFERRAL] !== NONE ? valueOf(v.referral, side, n[b + F_REFERRAL]) : '';
    into.idHi = n[b + F_ID_HASH];
    into.idLo = n[b + F_ID_HASH + 1];
    into.fingerprint = n[b + F_FINGERPRINT];
  }

  /**
   * Row i's fields for the ledger when the bulk tier wrote it (a fingerprint, no reversal, the id among the ids):
   * true, with into.idS/idE its place in texts.ids and no string made; false for other rows (use `ledgerRow`).
   */
  ledgerRowInIds(enc: EncodedClaims, i: number, texts: IdTexts, into: LedgerRow): boolean {
    const n = enc.nums;
    const b = i * STRIDE;
    const fp = n[b + F_FINGERPRINT];
    if (Number.isNaN(fp) || n[b + F_ID] < ID_TEXT || n[b + F_REVERSES] !== n[b + F_REVERSES + 1]) return false;
    const from = ID_TEXT + texts.idsFrom;
    into.idS = n[b + F_ID] - from;
    into.idE = n[b + F_ID + 1] - from;
    into.idHi = n[b + F_ID_HASH];
    into.idLo = n[b + F_ID_HASH + 1];
    into.fingerprint = fp;
    return true;
  }

  /** Whether the bulk tier entered row i into the claim-id ledger itself (recordScan.ts keepLedger). */
  static inLedger(enc: EncodedClaims, i: number): boolean {
    return enc.nums[i * STRIDE + F_FINGERPRINT] === IN_LEDGER;
  }

  /** Row i's number in its file. */
  static row(enc: EncodedClaims, i: number): number {
    return enc.nums[i * STRIDE + F_ROW];
  }

  /** Row i's claim id hash64 halves (H.hi, H.lo), NaN when the row was encoded without them. */
  static idHashHi(enc: EncodedClaims, i: number): number {
    return enc.nums[i * STRIDE + F_ID_HASH];
  }
  static idHashLo(enc: EncodedClaims, i: number): number {
    return enc.nums[i * STRIDE + F_ID_HASH + 1];
  }
}

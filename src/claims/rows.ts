// One table's header and rows: which cell is which column, and the per-row checks (DOMAIN.md §10). Checks that
// span rows (unique ids, reversals) live in ledger.ts.
import type { Category, Claim, ClaimToFill, InputError, Referral, Setting } from '../domain/types.js';
import { COLUMN_INDEX, COLUMN_ZH, COLUMNS, REQUIRED_COLUMNS, normalizeHeader, normalizeValue, type Column, type Vocabulary } from './columns.js';
import { LookalikeCodes, normalizeCode } from '../domain/codes.js';
import { MAX_CLAIM_FEN, parseCount, parseDate, parseFen } from './fields.js';
import { msg } from './messages.js';
import { MAX_CODE } from './scanLayout.js';

export interface ErrorSink {
  add(e: InputError): void;
}

const C = COLUMN_INDEX;

/** Where each column is, and how to name it in messages. */
export interface Header {
  readonly index: Int32Array; // by COLUMN_INDEX; -1 when absent
  readonly label: readonly string[]; // by COLUMN_INDEX: "fund_paid (统筹基金支付)"
}

/** Resolves a header row; reports missing required and doubled columns on row 1 (or the header's row). */
export function resolveHeader(
  cells: readonly string[],
  vocab: Vocabulary,
  file: string,
  row: number,
  sink: ErrorSink,
): Header | undefined {
  const index = new Int32Array(COLUMNS.length).fill(-1);
  const found: string[] = new Array<string>(COLUMNS.length).fill('');
  let ok = true;
  cells.forEach((raw, i) => {
    const text = raw.replace(/^\uFEFF/, '').trim();
    const col = vocab.headers.get(normalizeHeader(text));
    if (col === undefined) return; // extra columns are ignored
    const k = C[col];
    if (index[k] >= 0) {
      sink.add(msg.duplicateColumn({ file, row, column: col, value: text }, col, found[k], text));
      ok = false;
      return;
    }
    index[k] = i;
    found[k] = text;
  });
  for (const col of REQUIRED_COLUMNS) {
    if (index[C[col]] < 0) {
      sink.add(msg.missingColumn({ file, row, column: col }, col, COLUMN_ZH[col]));
      ok = false;
    }
  }
  if (!ok) return undefined;
  const label = COLUMNS.map((col, k) => (found[k] === '' || found[k] === col ? col : `${col} (${found[k]})`));
  return { index, label };
}

/** How many recognised column headers make a row the header (title rows above it hold at most one or two texts). */
const HEADER_MIN_COLUMNS = 3;
/** Non-blank rows searched for the header. */
export const HEADER_SEARCH_ROWS = 10;

/** Whether a row is the claims header: it names at least three known columns. */
export function looksLikeHeader(cells: readonly string[], vocab: Vocabulary): boolean {
  let n = 0;
  for (const raw of cells) {
    if (vocab.headers.has(normalizeHeader(raw.replace(/^\uFEFF/, '').trim())) && ++n >= HEADER_MIN_COLUMNS) return true;
  }
  return false;
}

/**
 * Finds the header among the first rows: title rows above it ("2024年1月结算明细", an export date) are skipped.
 * `offer` returns 'next' for a title row, the header, or undefined after reporting what is wrong with the header
 * (when no row looks like one, the first row is taken and its missing columns are reported).
 */
export class HeaderSearch {
  private first: { cells: string[]; row: number } | undefined;
  private tried = 0;
  /** The row used as the header, and how many rows above it were skipped. */
  found: { row: number; skipped: number } | undefined;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly file: string,
    private readonly sink: ErrorSink,
  ) {}

  offer(cells: readonly string[], row: number): Header | 'next' | undefined {
    if (looksLikeHeader(cells, this.vocab)) {
      this.found = { row, skipped: this.tried };
      return resolveHeader(cells, this.vocab, this.file, row, this.sink);
    }
    this.first ??= { cells: [...cells], row };
    if (++this.tried < HEADER_SEARCH_ROWS) return 'next';
    return this.giveUp();
  }

  /** At the end of a file whose rows all were offered as titles: report the first row's missing columns. */
  finish(): void {
    if (this.found === undefined && this.first !== undefined && this.tried < HEADER_SEARCH_ROWS) this.giveUp();
  }

  private giveUp(): undefined {
    const first = this.first as { cells: string[]; row: number };
    this.tried = HEADER_SEARCH_ROWS;
    // A header written with ';' or '|' between its cells (a regional "CSV" setting): said, beside what is missing.
    const joined = first.cells.join(',');
    for (const sep of [';', '|']) {
      if (joined.includes(sep) && looksLikeHeader(joined.split(sep), this.vocab)) {
        this.sink.add({
          file: this.file,
          row: first.row,
          rule: 'csv.delimiter',
          value: sep,
          zh: `表头的各列以 "${sep}" 分隔：请另存为以逗号分隔的 CSV（Excel：CSV UTF-8（逗号分隔））`,
          en: `the header's cells are separated by "${sep}": save the file as comma-separated CSV (Excel: CSV UTF-8 (Comma delimited))`,
        });
      }
    }
    resolveHeader(first.cells, this.vocab, this.file, first.row, this.sink);
    return undefined;
  }
}

/** A cell's text as checked: trimmed, with Excel's ="…" text wrapper removed. */
export function cellText(raw: string): string {
  let v = raw;
  if (v.length === 0) return v;
  const c0 = v.charCodeAt(0);
  const cl = v.charCodeAt(v.length - 1);
  if (c0 <= 32 || cl <= 32 || c0 === 0x3000 || cl === 0x3000) v = v.trim();
  if (v.length >= 3 && v.charCodeAt(0) === 61 && v.charCodeAt(1) === 34 && v.charCodeAt(v.length - 1) === 34) {
    v = v.slice(2, -1).trim();
  }
  return v;
}

/** A value of an enumerated column (category, setting, flag, referral): as written, else normalised; undefined if none. */
export function enumValue<T>(map: ReadonlyMap<string, T>, text: string): T | undefined {
  const v = map.get(text);
  return v !== undefined ? v : map.get(normalizeValue(text));
}

/** `amountsRule` results that are not a patient share (valid shares are integers, these are not). */
export const AMOUNTS_FUND_EXCEEDS_TOTAL = 0.25;
export const AMOUNTS_FUNDS_EXCEED_TOTAL = 0.5;
export const AMOUNTS_NOT_TOTAL = 0.75;

/**
 * The amounts' rules across cells (DOMAIN.md §10): |fund_paid| ≤ |total_cost|, |Σ funds| ≤ |total_cost|, and a
 * recorded patient_paid (Infinity when the cell is empty) makes total_cost with the funds. Returns the patient share
 * (total_cost − Σ funds when not recorded), or which rule is broken (one of the AMOUNTS_ fractions).
 */
export function amountsRule(totalCost: number, fundPaid: number, patientPaid: number, funds: number): number {
  const t = Math.abs(totalCost);
  if (Math.abs(fundPaid) > t) return AMOUNTS_FUND_EXCEEDS_TOTAL;
  if (Math.abs(funds) > t) return AMOUNTS_FUNDS_EXCEED_TOTAL;
  if (patientPaid === Infinity) return totalCost - funds;
  // A recorded patient_paid must make total_cost with the fund columns: otherwise L moves by the difference.
  return funds + patientPaid !== totalCost ? AMOUNTS_NOT_TOTAL : patientPaid;
}

const CATEGORY_OPTIONS = 'employee/resident/poverty（职工/居民/建档立卡）';
const SETTING_OPTIONS = 'inpatient/outpatient（住院/门诊）';
const FLAG_OPTIONS = 'true/false（是/否，1/0）';
const REFERRAL_OPTIONS = 'up/down（上转/下转），或留空 (or empty)';

function fenText(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  const t = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? `-${t}` : t;
}

/** The §13.1 fund columns beside fund_paid, by COLUMN_INDEX. */
const FUND_COLUMNS: readonly number[] = [C.critical_paid, C.assistance_paid, C.other_paid];
const NO_EXTRA: readonly number[] = [0, 0, 0];

/** What a file's header says about the claim's shape: which optional fields its claims carry (one shape per file). */
export interface ClaimShape {
  readonly fundColumns: boolean;
  readonly referralColumns: boolean;
  readonly referredFromColumn: boolean;
  readonly contractColumn: boolean;
}

export function claimShape(header: Header): ClaimShape {
  const i = header.index;
  return {
    fundColumns: FUND_COLUMNS.some((k) => i[k] >= 0),
    referralColumns: i[C.referral] >= 0 || i[C.referred_from] >= 0,
    referredFromColumn: i[C.referred_from] >= 0,
    contractColumn: i[C.contract_type] >= 0,
  };
}

/**
 * Rules that depend on the run, not on the file: its year (DOMAIN.md §12.1) and its members' codes. Plain data: the
 * CSV reader thread (csvWorker.ts) checks rows by them too.
 */
export interface RunRules {
  /** A row whose service_date is in another year is a row error `date.outsideYear`. */
  readonly year?: number;
  /** Institution codes that are no member's but look like one are row errors `code.looksLikeMember`. */
  readonly members?: readonly string[];
}

/** The look-alike rule of a run's members (undefined when the run names none). */
export function lookalikeOf(rules: RunRules): LookalikeCodes | undefined {
  return rules.members === undefined ? undefined : new LookalikeCodes(new Set(rules.members));
}

/** Per-row checks. `check` returns the claim, or undefined after reporting every problem of the row. */
export class RowChecker {
  private readonly idx: Int32Array;
  private readonly label: readonly string[];
  private readonly shape: ClaimShape;
  private readonly yearPrefix: string | undefined;
  private readonly year: number | undefined;
  private readonly lookalike: LookalikeCodes | undefined;

  constructor(
    header: Header,
    private readonly vocab: Vocabulary,
    private readonly file: string,
    private readonly sink: ErrorSink,
    rules: RunRules = {},
  ) {
    this.year = rules.year;
    this.yearPrefix = rules.year === undefined ? undefined : `${rules.year}-`;
    this.lookalike = lookalikeOf(rules);
    this.idx = header.index;
    this.label = header.label;
    this.shape = claimShape(header);
  }

  /** The cell of a column, trimmed, with Excel's ="…" text wrapper removed; '' when absent. */
  cell(cells: readonly string[], k: number): string {
    const i = this.idx[k];
    if (i < 0 || i >= cells.length) return '';
    return cellText(cells[i]);
  }

  /** A code or id cell as compared: NFKC, zero-width characters removed, trimmed (domain/codes.ts). */
  code(cells: readonly string[], k: number): string {
    return normalizeCode(this.cell(cells, k));
  }

  private at(row: number, k: number, value?: string) {
    return { file: this.file, row, column: this.label[k], value };
  }

  check(cells: readonly string[], row: number): Claim | undefined {
    let ok = true;
    const fundsOut: { criticalPaid?: number; assistancePaid?: number; otherPaid?: number } = {};

    const claimId = this.code(cells, C.claim_id);
    if (claimId === '') ok = this.fail(msg.required(this.at(row, C.claim_id, '')));
    else ok = this.shortCode(claimId, row, C.claim_id) && ok;
    const patientId = this.code(cells, C.patient_id);
    if (patientId === '') ok = this.fail(msg.required(this.at(row, C.patient_id, '')));
    else ok = this.shortCode(patientId, row, C.patient_id) && ok;
    const institutionId = this.code(cells, C.institution_id);
    if (institutionId === '') ok = this.fail(msg.required(this.at(row, C.institution_id, '')));
    else ok = this.shortCode(institutionId, row, C.institution_id) && this.memberCode(institutionId, row, C.institution_id) && ok;

    const catText = this.cell(cells, C.category);
    const category = enumValue(this.vocab.category, catText);
    if (category === undefined) {
      ok = this.fail(
        catText === '' ? msg.required(this.at(row, C.category, '')) : msg.enumValue(this.at(row, C.category, catText), CATEGORY_OPTIONS),
      );
    }

    const setText = this.cell(cells, C.setting);
    const setting = enumValue(this.vocab.setting, setText);
    if (setting === undefined) {
      ok = this.fail(
        setText === '' ? msg.required(this.at(row, C.setting, '')) : msg.enumValue(this.at(row, C.setting, setText), SETTING_OPTIONS),
      );
    }

    // An empty 异地就医标志 means a local visit: many exports leave it blank unless the visit was out of region.
    const flagText = this.cell(cells, C.out_of_region);
    const outOfRegion = flagText === '' ? false : enumValue(this.vocab.flag, flagText);
    if (outOfRegion === undefined) ok = this.fail(msg.enumValue(this.at(row, C.out_of_region, flagText), FLAG_OPTIONS));

    const dateText = this.cell(cells, C.service_date);
    const serviceDate = dateText === '' ? undefined : parseDate(dateText);
    if (serviceDate === undefined) {
      ok = this.fail(dateText === '' ? msg.required(this.at(row, C.service_date, '')) : msg.date(this.at(row, C.service_date, dateText)));
    } else if (this.yearPrefix !== undefined && !serviceDate.startsWith(this.yearPrefix)) {
      ok = this.fail(msg.outsideYear(this.at(row, C.service_date, dateText), this.year as number));
    }

    const losText = this.cell(cells, C.los_days);
    let losDays = 0;
    if (losText !== '') {
      losDays = parseCount(losText);
      if (losDays < 0) ok = this.fail(msg.losDays(this.at(row, C.los_days, losText)));
    } else if (setting === 'inpatient') {
      ok = this.fail(msg.losRequired(this.at(row, C.los_days, '')));
    }

    // 转诊类型 (optional column): empty means not referred.
    let referral: Referral | undefined = '';
    const refText = this.idx[C.referral] < 0 ? '' : this.cell(cells, C.referral);
    if (refText !== '') {
      referral = enumValue(this.vocab.referral, refText);
      if (referral === undefined) ok = this.fail(msg.enumValue(this.at(row, C.referral, refText), REFERRAL_OPTIONS));
    }

    const reverses = this.code(cells, C.reverses);
    ok = this.shortCode(reverses, row, C.reverses) && ok;
    const drgCode = this.code(cells, C.drg_code);
    ok = this.shortCode(drgCode, row, C.drg_code) && ok;
    const dipCode = this.code(cells, C.dip_code);
    ok = this.shortCode(dipCode, row, C.dip_code) && ok;
    const reversal = reverses !== '';
    if (reversal && reverses === claimId) ok = this.fail(msg.reversalSelf(this.at(row, C.reverses, reverses)));

    const totalCost = this.amount(cells, row, C.total_cost, true, reversal);
    const fundPaid = this.amount(cells, row, C.fund_paid, true, reversal);
    let patientPaid = this.amount(cells, row, C.patient_paid, false, reversal);
    // §13.1 fund columns (optional; empty = 0): 大病保险, 医疗救助, 其他补助/兜底.
    const extra = this.shape.fundColumns ? FUND_COLUMNS.map((k) => this.amount(cells, row, k, false, reversal)) : NO_EXTRA;
    if (Number.isNaN(totalCost) || Number.isNaN(fundPaid) || Number.isNaN(patientPaid) || extra.some(Number.isNaN)) ok = false;
    else {
      const [critical, assistance, other] = extra.map((x) => (x === Infinity ? 0 : x));
      const funds = fundPaid + critical + assistance + other;
      const rule = amountsRule(totalCost, fundPaid, patientPaid, funds);
      if (rule === AMOUNTS_FUND_EXCEEDS_TOTAL) {
        ok = this.fail(msg.fundExceedsTotal(this.at(row, C.fund_paid, fenText(fundPaid)), fenText(fundPaid), fenText(totalCost)));
      } else if (rule === AMOUNTS_FUNDS_EXCEED_TOTAL) {
        ok = this.fail(msg.fundsExceedTotal(this.at(row, C.fund_paid, fenText(funds)), fenText(funds), fenText(totalCost)));
      } else if (rule === AMOUNTS_NOT_TOTAL) {
        ok = this.fail(
          Math.abs(funds) === Math.abs(fundPaid)
            ? msg.sumNotTotal(this.at(row, C.patient_paid, fenText(patientPaid)), fenText(fundPaid), fenText(patientPaid), fenText(totalCost))
            : msg.fundsPlusPatientNotTotal(this.at(row, C.patient_paid, fenText(patientPaid)), fenText(funds), fenText(patientPaid), fenText(totalCost)),
        );
      } else patientPaid = rule;
      if (ok && this.shape.fundColumns) {
        fundsOut.criticalPaid = critical;
        fundsOut.assistancePaid = assistance;
        fundsOut.otherPaid = other;
      }
    }
    if (!ok) return undefined;
    const claim: ClaimToFill = {
      claimId,
      patientId,
      category: category as Category,
      institutionId,
      outOfRegion: outOfRegion as boolean,
      setting: setting as Setting,
      serviceDate: serviceDate as string,
      losDays,
      drgCode,
      dipCode,
      totalCost,
      fundPaid,
      patientPaid,
      reverses,
    };
    if (this.shape.fundColumns) {
      // Only files with a §13.1 fund column carry the fields (the claim's shape stays per file).
      claim.criticalPaid = fundsOut.criticalPaid;
      claim.assistancePaid = fundsOut.assistancePaid;
      claim.otherPaid = fundsOut.otherPaid;
    }
    if (this.shape.referralColumns) {
      // Only files with a 转诊类型 / 转出机构编码 column carry the fields (the claim's shape stays per file).
      claim.referral = referral as Referral;
      claim.referredFrom = this.shape.referredFromColumn ? this.code(cells, C.referred_from) : '';
      if (!this.shortCode(claim.referredFrom, row, C.referred_from) || !this.memberCode(claim.referredFrom, row, C.referred_from)) return undefined;
    }
    if (this.shape.contractColumn) {
      claim.contractType = this.cell(cells, C.contract_type); // 签约类型 (optional column)
      if (!this.shortCode(claim.contractType, row, C.contract_type)) return undefined;
    }
    return claim;
  }

  /** False after reporting an id or code longer than MAX_CODE characters (a shifted column, pasted text). */
  private shortCode(code: string, row: number, k: number): boolean {
    return code.length <= MAX_CODE || this.fail(msg.codeTooLong(this.at(row, k, code), code.length, MAX_CODE));
  }

  /** False after reporting a code that is no member's but looks like one ("h01", "Ｈ０１ " for member H01). */
  private memberCode(code: string, row: number, k: number): boolean {
    const like = this.lookalike?.memberLike(code);
    return like === undefined || this.fail(msg.looksLikeMember(this.at(row, k, code), like));
  }

  /** NaN after reporting a problem; Infinity when an optional amount is empty. */
  private amount(cells: readonly string[], row: number, k: number, required: boolean, reversal: boolean): number {
    const text = this.cell(cells, k);
    if (text === '') {
      if (!required) return Infinity;
      this.sink.add(msg.required(this.at(row, k, '')));
      return NaN;
    }
    const fen = parseFen(text);
    if (Number.isNaN(fen)) {
      this.sink.add(msg.amount(this.at(row, k, text)));
      return NaN;
    }
    if (fen > MAX_CLAIM_FEN || fen < -MAX_CLAIM_FEN) {
      this.sink.add(msg.amountTooLarge(this.at(row, k, text)));
      return NaN;
    }
    if (reversal ? fen > 0 : fen < 0) {
      this.sink.add(reversal ? msg.reversalSign(this.at(row, k, text)) : msg.negative(this.at(row, k, text)));
      return NaN;
    }
    return fen;
  }

  private fail(e: InputError): false {
    this.sink.add(e);
    return false;
  }
}

export type { Column };

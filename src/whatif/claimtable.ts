// A compact in-memory claim table (typed arrays + interned strings), filled during the one scan of the claims
// files, so that what-if variants which change payment parameters (or the monitor's month-by-month settlement) can
// re-price every claim without reading a file again. About 50 bytes a claim; money stays integer fen.
import type { ClaimSource, ClaimVisitor, RowRef } from '../claims/source.js';
import { aggregateClaims, withSpecialCases } from '../app/claims.js';
import { Decimal } from '../domain/money.js';
import type { ActualsResult } from '../domain/result.js';
import { blankClaim, CATEGORIES, type Category, type Claim, type Scenario } from '../domain/types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class Interner {
  readonly values: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const CATEGORY_INDEX = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));
const OUT_OF_REGION = 1;
const INPATIENT = 2;
const REVERSAL = 4;
const REFERRED_UP = 8;
const REFERRED_DOWN = 16;

/** YYYY-MM-DD (or YYYY/MM/DD) → yyyymmdd as an integer; 0 when unreadable. */
export function dateKey(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) ? y * 10000 + m * 100 + d : 0;
}

export class ClaimTable {
  length = 0;
  private cap = 0;
  private inst = new Int32Array(0);
  private cat = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private los = new Int32Array(0);
  private drg = new Int32Array(0);
  private dip = new Int32Array(0);
  private total = new Float64Array(0);
  private fund = new Float64Array(0);
  private patient = new Float64Array(0);
  private date = new Int32Array(0);
  private fileIx = new Uint16Array(0);
  private row = new Int32Array(0);
  private patient_ = new Int32Array(0);
  private reverses = new Int32Array(0);
  private referredFrom = new Int32Array(0);
  /** §13.1 fund columns beside fund_paid, by row index: only rows of files that have them. */
  private readonly extraFunds = new Map<number, readonly [number, number, number]>();
  /** Claim ids are unique: kept as they are (cost-sharing recompute orders a patient's claims by id). */
  private readonly claimIds: string[] = [];
  private readonly people = new Interner();
  private readonly institutions = new Interner();
  private readonly codes = new Interner();
  private readonly files = new Interner();

  constructor(capacity = 1024) {
    this.grow(capacity);
  }

  private grow(n: number): void {
    const g = <T extends { length: number; set(a: ArrayLike<number>): void }>(a: T, make: (k: number) => T): T => {
      const b = make(n);
      b.set(a as unknown as ArrayLike<number>);
      return b;
    };
    this.inst = g(this.inst, (k) => new Int32Array(k));
    this.cat = g(this.cat, (k) => new Uint8Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
    this.los = g(this.los, (k) => new Int32Array(k));
    this.drg = g(this.drg, (k) => new Int32Array(k));
    this.dip = g(this.dip, (k) => new Int32Array(k));
    this.total = g(this.total, (k) => new Float64Array(k));
    this.fund = g(this.fund, (k) => new Float64Array(k));
    this.patient = g(this.patient, (k) => new Float64Array(k));
    this.date = g(this.date, (k) => new Int32Array(k));
    this.fileIx = g(this.fileIx, (k) => new Uint16Array(k));
    this.row = g(this.row, (k) => new Int32Array(k));
    this.patient_ = g(this.patient_, (k) => new Int32Array(k));
    this.reverses = g(this.reverses, (k) => new Int32Array(k));
    this.referredFrom = g(this.referredFrom, (k) => new Int32Array(k));
    this.cap = n;
  }

  add(c: Claim, at: RowRef): void {
    if (this.length === this.cap) this.grow(this.cap * 2);
    const i = this.length++;
    this.inst[i] = this.institutions.id(c.institutionId);
    this.cat[i] = CATEGORY_INDEX.get(c.category) ?? 0;
    this.flags[i] =
      (c.outOfRegion ? OUT_OF_REGION : 0) |
      (c.setting === 'inpatient' ? INPATIENT : 0) |
      (c.reverses !== '' ? REVERSAL : 0) |
      (c.referral === 'up' ? REFERRED_UP : c.referral === 'down' ? REFERRED_DOWN : 0);
    this.claimIds.push(c.claimId);
    this.patient_[i] = this.people.id(c.patientId);
    this.reverses[i] = this.codes.id(c.reverses);
    this.referredFrom[i] = this.institutions.id(c.referredFrom ?? '');
    this.los[i] = c.losDays;
    this.drg[i] = this.codes.id(c.drgCode);
    this.dip[i] = this.codes.id(c.dipCode);
    this.total[i] = c.totalCost;
    this.fund[i] = c.fundPaid;
    this.patient[i] = c.patientPaid;
    this.date[i] = dateKey(c.serviceDate);
    this.fileIx[i] = this.files.id(at.file);
    this.row[i] = at.row;
    if (c.criticalPaid !== undefined) this.extraFunds.set(i, [c.criticalPaid, c.assistancePaid ?? 0, c.otherPaid ?? 0]);
  }

  /** The visitor that fills the table (combine it with another visitor with `both`). */
  get visitor(): ClaimVisitor {
    return (c, at) => this.add(c, at);
  }

  /** Replays the claims (those with service date ≤ `throughDate` yyyymmdd, when given) to a visitor. */
  replay(visit: ClaimVisitor, throughDate?: number): void {
    const claim = blankClaim();
    const at: Mutable<RowRef> = { file: '', row: 0 };
    const inst = this.institutions.values;
    const people = this.people.values;
    const codes = this.codes.values;
    const files = this.files.values;
    for (let i = 0; i < this.length; i++) {
      if (throughDate !== undefined && this.date[i] > throughDate) continue;
      const f = this.flags[i];
      claim.institutionId = inst[this.inst[i]];
      claim.category = CATEGORIES[this.cat[i]];
      claim.outOfRegion = (f & OUT_OF_REGION) !== 0;
      claim.setting = f & INPATIENT ? 'inpatient' : 'outpatient';
      claim.claimId = this.claimIds[i];
      claim.patientId = people[this.patient_[i]];
      claim.reverses = codes[this.reverses[i]];
      claim.referral = f & REFERRED_UP ? 'up' : f & REFERRED_DOWN ? 'down' : '';
      claim.referredFrom = inst[this.referredFrom[i]];
      claim.losDays = this.los[i];
      claim.drgCode = codes[this.drg[i]];
      claim.dipCode = codes[this.dip[i]];
      claim.totalCost = this.total[i];
      claim.fundPaid = this.fund[i];
      claim.patientPaid = this.patient[i];
      const extra = this.extraFunds.size === 0 ? undefined : this.extraFunds.get(i);
      claim.criticalPaid = extra?.[0];
      claim.assistancePaid = extra?.[1];
      claim.otherPaid = extra?.[2];
      const d = this.date[i];
      claim.serviceDate = d === 0 ? '' : `${Math.floor(d / 10000)}-${String(Math.floor(d / 100) % 100).padStart(2, '0')}-${String(d % 100).padStart(2, '0')}`;
      at.file = files[this.fileIx[i]];
      at.row = this.row[i];
      visit(claim, at);
    }
  }

  /**
   * §13.2 for a run to a date (monitoring): the listed claims dated later are not yet in the run, so they leave the
   * list, and the quota (a rule of the whole year) is not applied to part of a year.
   */
  private async specialCasesToDate(scenario: Scenario, throughDate: number): Promise<Scenario> {
    if (scenario.specialCases === undefined) return scenario;
    const { scenario: listed } = await withSpecialCases(scenario);
    const sc = listed.specialCases!;
    const later = new Set<string>();
    for (let i = 0; i < this.length; i++) if (this.date[i] > throughDate && (this.flags[i] & REVERSAL) === 0) later.add(this.claimIds[i]);
    const cases = new Map([...sc.list!.cases].filter(([id]) => !later.has(id)));
    return { ...listed, specialCases: { ...sc, quota: { drg: new Decimal(1), dip: new Decimal(1) }, list: { ...sc.list!, cases } } };
  }

  /** Service months present, as yyyymm, ascending. */
  months(): number[] {
    const set = new Set<number>();
    for (let i = 0; i < this.length; i++) if (this.date[i] !== 0) set.add(Math.floor(this.date[i] / 100));
    return [...set].sort((a, b) => a - b);
  }

  /** The table as a claim source (claims dated ≤ `throughDate` yyyymmdd, when given): a scan replays it. */
  asSource(throughDate?: number): ClaimSource {
    return {
      scan: async (visit) => {
        this.replay(visit, throughDate);
        return { rows: this.length, files: [], errors: [], errorCount: 0 };
      },
    };
  }

  /**
   * Prices the table's claims under `scenario` (a variant) into fresh aggregates, exactly as a run from the files
   * would (`aggregateClaims`, so cost-sharing recompute too); pricing problems are rejected.
   */
  async aggregate(scenario: Scenario, throughDate?: number): Promise<ActualsResult> {
    const s = throughDate === undefined ? scenario : await this.specialCasesToDate(scenario, throughDate);
    const { actuals } = await aggregateClaims(s, this.asSource(throughDate));
    return throughDate === undefined ? { ...actuals, claimRows: this.length } : actuals;
  }
}

/** Calls both visitors for every claim. */
export function both(a: ClaimVisitor, b: ClaimVisitor): ClaimVisitor {
  return (c, at) => {
    a(c, at);
    b(c, at);
  };
}

/** Wraps a source so that only claims with service date ≤ `throughDate` (yyyymmdd) reach the visitor. */
export function sourceThrough(source: ClaimSource, throughDate: number): ClaimSource {
  return { scan: (visit) => source.scan((c, at) => (dateKey(c.serviceDate) <= throughDate ? visit(c, at) : undefined)) };
}

// Recompute mode (`costSharing.mode: recompute`): fund_paid / patient_paid of every claim derived from total_cost by
// the cost-sharing rules, per patient in (service_date, claim_id) order. A patient's claims arrive in file order and
// the deductible and caps carry across the whole year, so the claims are read twice:
//   pass 1  `record(claim)` keeps a compact record per valid row, in typed arrays (patient as an interned index, the
//           date as a number, the claim id in a UTF-16 arena, cost in fen, codes packed in 16 bits) — about
//           40 bytes + 2 bytes per id character a row, never the parsed rows;
//   then    `compute()` sorts the originals by (patient, date, claim id), applies the rules patient by patient, and
//           gives each reversal row (冲销) its original's amounts negated;
//   pass 2  `apply(claim)` on the same rows in the same order (same files → same row index) returns the claim with
//           the recomputed amounts, for the usual ClaimAggregator.
// Pure (no I/O): the caller drives both scans.
import { grown, withRoom } from '../../lib/typedArrays.js';
import type { Fen } from '../money.js';
import { copyOfClaim, type Claim, type Scenario } from '../types.js';
import {
  CostSharingTables,
  FROM_UNKNOWN,
  PatientCostSharing,
  REFERRAL_DOWN,
  REFERRAL_NONE,
  REFERRAL_UP,
  categoryIndex,
  locationIndex,
} from './rules.js';

// Packed codes (16 bits): bit 0 inpatient; bits 1–2 category; bits 3–5 location; bits 6–7 referral; bits 8–10 the
// referring location (FROM_UNKNOWN = 5); bit 11 reversal row.
const INPATIENT = 1;
const REVERSAL = 1 << 11;
const DATE_SPAN = 1 << 22; // date keys y*416 + m*32 + d stay below 2^22 for y ≤ 9999

/** y*416 + m*32 + d (monotone in the date); YYYY-MM-DD or YYYY/MM/DD. */
function dateKey(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return y * 416 + m * 32 + d;
}

export interface RecomputedTotals {
  readonly rows: number;
  readonly patients: number;
  readonly fundPaid: Fen; // Σ recomputed fund_paid over all rows (reversals netted)
  readonly patientPaid: Fen;
}

export class CostSharingRecompute {
  private length = 0;
  private patient = new Int32Array(1024);
  private date = new Int32Array(1024);
  private cost = new Float64Array(1024); // |total_cost| in fen
  private codes = new Uint16Array(1024);
  private idEnd = new Int32Array(1024); // end offset of row i's id in `ids` (start = idEnd[i − 1])
  private ids = new Uint16Array(16384);
  private idLength = 0;
  private readonly patients = new Map<string, number>();
  private readonly reversals: Array<{ row: number; original: string }> = [];
  private readonly memberLocation = new Map<string, number>();
  private readonly tables: CostSharingTables;
  private fund?: Float64Array;
  private patientShare?: Float64Array;
  private cursor = 0;

  constructor(scenario: Scenario) {
    if (scenario.costSharing?.rules === undefined) throw new Error('CostSharingRecompute: the scenario has no cost-sharing rules');
    this.tables = new CostSharingTables(scenario.costSharing);
    for (const m of scenario.group.members) this.memberLocation.set(m.id, locationIndex(m.tier));
  }

  /** Pass 1: one valid row (reversals included), in file order. Does not keep the claim. */
  record(claim: Claim): void {
    if (this.length === this.patient.length) this.grow();
    const i = this.length++;
    let p = this.patients.get(claim.patientId);
    if (p === undefined) {
      p = this.patients.size;
      this.patients.set(claim.patientId, p);
    }
    this.patient[i] = p;
    this.date[i] = dateKey(claim.serviceDate);
    this.cost[i] = Math.abs(claim.totalCost);
    const member = this.memberLocation.get(claim.institutionId);
    const loc = member ?? (claim.outOfRegion ? 4 : 3);
    const ref = claim.referral === 'up' ? REFERRAL_UP : claim.referral === 'down' ? REFERRAL_DOWN : REFERRAL_NONE;
    let from: number = FROM_UNKNOWN;
    const rf = claim.referredFrom ?? '';
    if (ref !== REFERRAL_NONE && rf !== '') from = this.memberLocation.get(rf) ?? 3; // a non-member referrer: in region
    const reversal = claim.reverses !== '';
    this.codes[i] =
      (claim.setting === 'inpatient' ? INPATIENT : 0) | (categoryIndex(claim.category) << 1) | (loc << 3) | (ref << 6) | (from << 8) | (reversal ? REVERSAL : 0);
    const id = claim.claimId;
    this.ids = withRoom(this.ids, this.idLength + id.length);
    for (let k = 0; k < id.length; k++) this.ids[this.idLength + k] = id.charCodeAt(k);
    this.idLength += id.length;
    this.idEnd[i] = this.idLength;
    if (reversal) this.reversals.push({ row: i, original: claim.reverses });
  }

  private grow(): void {
    const n = this.patient.length * 2;
    this.patient = grown(this.patient, n);
    this.date = grown(this.date, n);
    this.cost = grown(this.cost, n);
    this.codes = grown(this.codes, n);
    this.idEnd = grown(this.idEnd, n);
  }

  /** Compares the ids of rows a and b by UTF-16 code units (as JavaScript compares strings). */
  private compareIds(a: number, b: number): number {
    const ids = this.ids;
    let i = a === 0 ? 0 : this.idEnd[a - 1];
    let j = b === 0 ? 0 : this.idEnd[b - 1];
    const ie = this.idEnd[a];
    const je = this.idEnd[b];
    while (i < ie && j < je) {
      const d = ids[i++] - ids[j++];
      if (d !== 0) return d;
    }
    return ie - i - (je - j);
  }

  /** Compares the id of row a with a string. */
  private compareIdWith(a: number, s: string): number {
    const ids = this.ids;
    let i = a === 0 ? 0 : this.idEnd[a - 1];
    const ie = this.idEnd[a];
    let j = 0;
    while (i < ie && j < s.length) {
      const d = ids[i++] - s.charCodeAt(j++);
      if (d !== 0) return d;
    }
    return ie - i - (s.length - j);
  }

  /** Applies the rules to every patient's year. Call once, after pass 1. */
  compute(): RecomputedTotals {
    const n = this.length;
    const fund = new Float64Array(n);
    const share = new Float64Array(n);
    // Reversal rows → their original's row, by binary search over the originals sorted by id.
    const reversedOriginal = new Uint8Array(n);
    const originalOf = new Int32Array(this.reversals.length);
    if (this.reversals.length > 0) {
      const byId = this.originals().sort((a, b) => this.compareIds(a, b));
      this.reversals.forEach((r, k) => {
        let lo = 0;
        let hi = byId.length - 1;
        let found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const c = this.compareIdWith(byId[mid], r.original);
          if (c === 0) {
            found = byId[mid];
            break;
          }
          if (c < 0) lo = mid + 1;
          else hi = mid - 1;
        }
        if (found < 0) throw new Error(`cost sharing: the reversal of ${r.original} names no claim of the run`);
        originalOf[k] = found;
        reversedOriginal[found] = 1;
      });
    }
    // Originals in (patient, date, claim id) order.
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) key[i] = this.patient[i] * DATE_SPAN + this.date[i];
    const order = this.originals().sort((a, b) => key[a] - key[b] || this.compareIds(a, b));
    const state = new PatientCostSharing(this.tables);
    let current = -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (this.patient[i] !== current) {
        current = this.patient[i];
        state.reset();
      }
      const c = this.codes[i];
      const cost = this.cost[i];
      const f = state.next((c >> 1) & 3, c & INPATIENT, (c >> 3) & 7, (c >> 6) & 3, (c >> 8) & 7, cost, reversedOriginal[i] === 1);
      fund[i] = f;
      share[i] = cost - f;
    }
    this.reversals.forEach((r, k) => {
      const o = originalOf[k];
      fund[r.row] = fund[o] === 0 ? 0 : -fund[o];
      share[r.row] = share[o] === 0 ? 0 : -share[o];
    });
    this.fund = fund;
    this.patientShare = share;
    this.cursor = 0;
    let fundTotal = 0;
    let patientTotal = 0;
    for (let i = 0; i < n; i++) {
      fundTotal += fund[i];
      patientTotal += share[i];
    }
    return { rows: n, patients: this.patients.size, fundPaid: fundTotal, patientPaid: patientTotal };
  }

  private originals(): Uint32Array {
    let count = 0;
    for (let i = 0; i < this.length; i++) if ((this.codes[i] & REVERSAL) === 0) count++;
    const out = new Uint32Array(count);
    let k = 0;
    for (let i = 0; i < this.length; i++) if ((this.codes[i] & REVERSAL) === 0) out[k++] = i;
    return out;
  }

  /** Restarts pass 2 (e.g. for a second scan of the same rows). */
  rewind(): void {
    this.cursor = 0;
  }

  /**
   * Pass 2: the next row (same rows, same order as pass 1) with its recomputed fund_paid and patient_paid. Throws
   * when the rows differ from pass 1 (the files changed between the two reads).
   */
  apply(claim: Claim): Claim {
    const fund = this.fund;
    const share = this.patientShare;
    if (fund === undefined || share === undefined) throw new Error('CostSharingRecompute.apply before compute()');
    const i = this.cursor++;
    if (i >= this.length || this.cost[i] !== Math.abs(claim.totalCost) || this.compareIdWith(i, claim.claimId) !== 0) {
      throw new Error(`cost sharing: row ${i + 1} of the second read differs from the first (claim ${claim.claimId}); did a claims file change?`);
    }
    const out = copyOfClaim(claim);
    out.fundPaid = fund[i];
    out.patientPaid = share[i];
    return out;
  }

  /** Rows seen in pass 2 so far. */
  get applied(): number {
    return this.cursor;
  }

  get rows(): number {
    return this.length;
  }
}

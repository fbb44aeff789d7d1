// 特例单议 (DOMAIN.md §13.2): which claims may be special cases, the quota per method, and the bilingual messages of
// every rule. A listed claim must be an in-group claim (not a reversal row) that the rules pay by drg, dip, perDiem or
// singleDisease; per method with a quota (drg, dip) the cases may not exceed floor(quota × that method's claims).
import type { Dec, Fen } from './money.js';
import type { SpecialCaseLine, SpecialCasesResult } from './result.js';
import type { Claim, InputError, Method, SpecialCase, SpecialCaseSettings } from './types.js';

/** The methods whose payment standard a special case replaces. */
export const SPECIAL_CASE_METHODS: ReadonlySet<Method> = new Set<Method>(['drg', 'dip', 'perDiem', 'singleDisease']);
/** The methods with a quota (the national rules: DRG at most 5% of cases, DIP at most 5‰). */
export const QUOTA_METHODS = ['drg', 'dip'] as const;
export type QuotaMethod = (typeof QUOTA_METHODS)[number];

const METHOD_NAME: Readonly<Record<Method, string>> = {
  ffs: '按项目 ffs',
  drg: 'DRG',
  dip: 'DIP',
  perDiem: '按床日 perDiem',
  singleDisease: '单病种 singleDisease',
  capitation: '按人头 capitation',
};

/** floor(quota × claims): how many special cases a method allows. */
export function quotaAllowed(quota: Dec, claims: number): number {
  return Math.max(0, Number(quota.times(claims).floor().toFixed(0)));
}

export interface QuotaCount {
  readonly method: QuotaMethod;
  readonly quota: Dec;
  readonly claims: number; // in-group claims the rules assign this method, special cases included, reversals not
  readonly allowed: number;
  readonly cases: number;
}

function at(file: string, c: SpecialCase, value = c.claimId): Pick<InputError, 'file' | 'row' | 'column' | 'value'> {
  return { file, row: c.row, column: 'claim_id (结算单据号)', value };
}

export const specialCaseMsg = {
  unknown: (file: string, c: SpecialCase): InputError => ({
    ...at(file, c),
    rule: 'specialCases.unknownClaim',
    zh: `特例单议：结算单据号 ${c.claimId} 不在结算明细中`,
    en: `special case: claim ${c.claimId} is not among the claims`,
  }),
  outOfGroup: (file: string, c: SpecialCase, institution: string): InputError => ({
    ...at(file, c),
    rule: 'specialCases.outOfGroup',
    zh: `特例单议：结算单据号 ${c.claimId} 在医共体外机构 ${institution} 就医，只有医共体内的病例可以特例单议`,
    en: `special case: claim ${c.claimId} was at ${institution}, outside the group; only in-group claims can be special cases`,
  }),
  wrongMethod: (file: string, c: SpecialCase, method: Method): InputError => ({
    ...at(file, c),
    rule: 'specialCases.method',
    zh: `特例单议：结算单据号 ${c.claimId} 的支付方式为${METHOD_NAME[method]}；特例单议只适用于 DRG、DIP、按床日、单病种`,
    en: `special case: claim ${c.claimId} is paid by ${method}; special cases apply to drg, dip, perDiem or singleDisease only`,
  }),
  reversal: (file: string, c: SpecialCase, original: string): InputError => ({
    ...at(file, c),
    rule: 'specialCases.reversal',
    zh: `特例单议：结算单据号 ${c.claimId} 是冲销单据（冲销 ${original}）；请列出被冲销的原单据`,
    en: `special case: claim ${c.claimId} is a reversal (of ${original}); list the original claim instead`,
  }),
  overQuota: (file: string, c: SpecialCase, q: QuotaCount, position: number): InputError => ({
    ...at(file, c),
    rule: 'specialCases.quota',
    zh: `特例单议超过限额：${METHOD_NAME[q.method]} 特例 ${q.cases} 例，限额 ${q.allowed} 例（${q.quota.toFixed()} × ${q.claims} 例 ${METHOD_NAME[q.method]} 病例，向下取整）；本行为第 ${position} 例，超出限额`,
    en: `special cases over quota: ${q.cases} ${q.method} cases, quota ${q.allowed} (${q.quota.toFixed()} × ${q.claims} ${q.method} claims, rounded down); this row is case ${position}, beyond the quota`,
  }),
};

/** A special-case row as priced, before the DIP point value is known. */
interface PendingLine extends Omit<SpecialCaseLine, 'formulaStandard'> {
  readonly formulaStandard?: Fen;
  readonly formulaPoints?: Dec; // dip, unsigned
  readonly sign: 1 | -1;
}

/**
 * Follows the listed special cases through one scan of the claims: checks each listed claim where it appears
 * (in-group, method, not a reversal), counts each quota method's claims, keeps the priced rows; `close` adds the
 * checks that need the whole scan (unknown ids, quota).
 */
export class SpecialCaseTracker {
  readonly problems: InputError[] = [];
  private readonly file: string;
  private readonly cases: ReadonlyMap<string, SpecialCase>;
  private readonly seen = new Set<string>();
  private readonly listedByMethod = new Map<Method, SpecialCase[]>();
  private readonly claimsByMethod: Record<QuotaMethod, number> = { drg: 0, dip: 0 };
  private readonly pending: PendingLine[] = [];
  private closed = false;

  constructor(private readonly settings: SpecialCaseSettings) {
    if (settings.list === undefined) throw new Error('SpecialCaseTracker: the special-case list has not been read');
    this.file = settings.list.file;
    this.cases = settings.list.cases;
  }

  /** An out-of-group claim: false (after recording the problem) when it is listed. */
  outOfGroup(claim: Claim): boolean {
    const c = claim.reverses === '' ? this.cases.get(claim.claimId) : undefined;
    if (c === undefined) return true;
    this.seen.add(c.claimId);
    this.problems.push(specialCaseMsg.outOfGroup(this.file, c, claim.institutionId));
    return false;
  }

  /** An in-group claim with its method: false (after recording the problem) when it breaks a rule of the list. */
  inGroup(claim: Claim, method: Method): boolean {
    if (claim.reverses === '') {
      if (method === 'drg' || method === 'dip') this.claimsByMethod[method]++;
      const c = this.cases.get(claim.claimId);
      if (c === undefined) return true;
      this.seen.add(c.claimId);
      if (!SPECIAL_CASE_METHODS.has(method)) {
        this.problems.push(specialCaseMsg.wrongMethod(this.file, c, method));
        return false;
      }
      let list = this.listedByMethod.get(method);
      if (list === undefined) this.listedByMethod.set(method, (list = []));
      list.push(c);
      return true;
    }
    const listedReversal = this.cases.get(claim.claimId);
    if (listedReversal !== undefined) {
      this.seen.add(listedReversal.claimId);
      this.problems.push(specialCaseMsg.reversal(this.file, listedReversal, claim.reverses));
      return false;
    }
    return true;
  }

  /** A row priced as a special case (original or reversal). */
  record(claim: Claim, memberId: string, method: Method, p: { sign: 1 | -1; liability: Fen; special: { case: SpecialCase; formulaStandard?: Fen; formulaPoints?: Dec; unpackaged: Fen } }): void {
    this.pending.push({
      claimId: claim.claimId,
      reverses: claim.reverses,
      memberId,
      method,
      totalCost: claim.totalCost,
      patientPaid: claim.patientPaid,
      unpackaged: p.special.unpackaged,
      formulaStandard: p.special.formulaStandard,
      formulaPoints: p.special.formulaPoints,
      agreed: p.sign * p.special.case.agreed,
      liability: p.liability,
      reason: p.special.case.reason,
      sign: p.sign,
    });
  }

  /** Unknown ids and the quota, once the scan is complete. Returns the problems added. */
  close(): InputError[] {
    if (this.closed) return [];
    this.closed = true;
    const added: InputError[] = [];
    const rows = [...this.cases.values()].sort((a, b) => a.row - b.row);
    for (const c of rows) if (!this.seen.has(c.claimId)) added.push(specialCaseMsg.unknown(this.file, c));
    for (const q of this.quotaCounts()) {
      if (q.cases <= q.allowed) continue;
      const listed = [...(this.listedByMethod.get(q.method) ?? [])].sort((a, b) => a.row - b.row);
      listed.forEach((c, i) => {
        if (i >= q.allowed) added.push(specialCaseMsg.overQuota(this.file, c, q, i + 1));
      });
    }
    this.problems.push(...added);
    return added;
  }

  private quotaCounts(): QuotaCount[] {
    return QUOTA_METHODS.map((method) => {
      const quota = this.settings.quota[method];
      const claims = this.claimsByMethod[method];
      return { method, quota, claims, allowed: quotaAllowed(quota, claims), cases: this.listedByMethod.get(method)?.length ?? 0 };
    });
  }

  /** The result, DIP formula prices at `dipStandard(points)` (the run's point value). */
  result(dipStandard: (points: Dec) => Fen): SpecialCasesResult {
    const lines: SpecialCaseLine[] = this.pending.map(({ formulaPoints, sign, ...l }) => ({
      ...l,
      formulaStandard: l.formulaStandard ?? (formulaPoints === undefined ? 0 : sign * dipStandard(formulaPoints)),
    }));
    const original = (l: SpecialCaseLine) => l.reverses || l.claimId;
    lines.sort((a, b) => {
      const oa = original(a);
      const ob = original(b);
      if (oa !== ob) return oa < ob ? -1 : 1;
      if (a.reverses !== b.reverses) return a.reverses === '' ? -1 : 1;
      return a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0;
    });
    const casesByMethod: Partial<Record<Method, number>> = {};
    for (const [m, list] of [...this.listedByMethod.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) casesByMethod[m] = list.length;
    return { file: this.file, quota: this.quotaCounts(), casesByMethod, lines };
  }
}

// Builds the typed Scenario from a scenario that passed the schema and the cross-key rules. Defaults of DOMAIN.md
// §3–§6 are applied here, in one place.
import { Decimal, type Dec, ONE, dec, roundFen, ZERO } from '../domain/money.js';
import {
  CATEGORIES,
  KPI_IDS,
  LOCATIONS,
  PACKAGE_FUNDS,
  type CategoryCostSharing,
  type Category,
  type CostSharing,
  type DipGroup,
  type KpiId,
  type KpiSettings,
  type KpiWeight,
  type Location,
  type Scenario,
  type SettingCostSharing,
  type Tier,
} from '../domain/types.js';
import type { RawScenario } from './schema.js';

export interface Tables {
  readonly drgWeights?: ReadonlyMap<string, Dec>;
  readonly dipGroups?: ReadonlyMap<string, DipGroup>;
}

const opt = (s: string | undefined): Dec | undefined => (s === undefined ? undefined : dec(s));
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function coefficients(raw: Partial<Record<Tier, string>> | undefined): Record<Tier, Dec> {
  return {
    county: opt(raw?.county) ?? ONE,
    township: opt(raw?.township) ?? ONE,
    village: opt(raw?.village) ?? ONE,
  };
}

function sortedMap<V>(entries: Iterable<[string, V]>): Map<string, V> {
  return new Map([...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

type RawCostSharing = NonNullable<RawScenario['costSharing']>;
type RawSetting = NonNullable<RawCostSharing['inpatient']>;
type RawKpiValues = NonNullable<NonNullable<RawScenario['kpis']>['targets']>;
// The schema's indicator keys are exactly KPI_IDS.
const KPI_KEYS_MATCH: [keyof RawKpiValues] extends [KpiId] ? ([KpiId] extends [keyof RawKpiValues] ? true : never) : never = true;
void KPI_KEYS_MATCH;

const yuanFen = (s: string): number => roundFen(dec(s).times(100));

/** One setting's rules: the category's values over the defaults (validated: every ratio is present). */
function settingRules(base: RawSetting, over: RawSetting | undefined): SettingCostSharing {
  const pick = <K extends 'deductible' | 'ratio'>(k: K, loc: Location): string | undefined => over?.[k]?.[loc] ?? base[k]?.[loc];
  const deductible = Object.fromEntries(LOCATIONS.map((l) => [l, yuanFen(pick('deductible', l) ?? '0')])) as Record<Location, number>;
  const ratio = Object.fromEntries(LOCATIONS.map((l) => [l, dec(pick('ratio', l) ?? '0')])) as Record<Location, Dec>;
  const cap = over?.annualCap ?? base.annualCap;
  return { deductible, ratio, annualCap: cap === undefined ? undefined : yuanFen(cap) };
}

function buildCostSharing(cs: RawCostSharing): CostSharing {
  let rules: Record<Category, CategoryCostSharing> | undefined;
  if (cs.inpatient !== undefined && cs.outpatient !== undefined) {
    const built = {} as Record<Category, CategoryCostSharing>;
    for (const cat of CATEGORIES) {
      const over = cs.categories?.[cat];
      const cap = over?.annualCap ?? cs.annualCap;
      built[cat] = {
        inpatient: settingRules(cs.inpatient, over?.inpatient),
        outpatient: settingRules(cs.outpatient, over?.outpatient),
        annualCap: cap === undefined ? undefined : yuanFen(cap),
      };
    }
    rules = built;
  }
  return {
    mode: cs.mode ?? 'recorded',
    rules,
    continuousDeductible: cs.continuousDeductible !== 'false',
    unreferredPenalty: opt(cs.unreferredPenalty) ?? ZERO,
  };
}

function kpiValues(raw: RawKpiValues | undefined): Partial<Record<KpiId, Dec>> {
  const out: Partial<Record<KpiId, Dec>> = {};
  for (const id of KPI_IDS) if (raw?.[id] !== undefined) out[id] = dec(raw[id]);
  return out;
}

function buildKpis(raw: RawScenario['kpis']): KpiSettings | undefined {
  if (raw === undefined) return undefined;
  const p = raw.priorYear;
  return {
    targets: kpiValues(raw.targets),
    priorYear: p && {
      referralsUp: p.referralsUp === undefined ? undefined : Number(p.referralsUp),
      referralsDown: p.referralsDown === undefined ? undefined : Number(p.referralsDown),
    },
    actuals: kpiValues(raw.actuals),
  };
}

function buildFromKpis(raw: RawScenario): ReadonlyMap<KpiId, KpiWeight> | undefined {
  const from = raw.assessment?.fromKpis;
  if (from === undefined) return undefined;
  const out = new Map<KpiId, KpiWeight>();
  for (const id of KPI_IDS) {
    const w = from[id];
    if (w === undefined) continue;
    out.set(id, { weight: dec(w.weight), target: dec(w.target ?? raw.kpis?.targets?.[id] ?? '0') });
  }
  return out;
}

export function buildScenario(raw: RawScenario, claimsResolved: readonly string[], tables: Tables, specialCasesResolved?: string): Scenario {
  const pay = raw.payments ?? {};
  const claimsAsWritten = raw.claims === undefined ? [] : Array.isArray(raw.claims) ? raw.claims : [raw.claims];
  const enrollment = raw.enrollment ?? {};
  return {
    name: raw.name,
    year: Number(raw.year.trim()),
    group: {
      id: raw.group.id,
      lead: raw.group.lead,
      members: raw.group.members.map((m) => ({ id: m.id, name: m.name ?? m.id, tier: m.tier })).sort(byId),
    },
    enrollment: {
      employee: Number(enrollment.employee ?? '0'),
      resident: Number(enrollment.resident ?? '0'),
      poverty: Number(enrollment.poverty ?? '0'),
    },
    budget: {
      lines: raw.budget.lines.map((l) => ({
        category: l.category,
        fund: l.fund,
        basis: l.basis,
        amount: opt(l.amount),
        rate: opt(l.rate),
        baseSpend: opt(l.baseSpend),
        growth: opt(l.growth),
        revenue: opt(l.revenue),
        ratio: opt(l.ratio),
      })),
      riskReserveRate: opt(raw.budget.riskReserveRate) ?? ZERO,
      qualityDepositRate: opt(raw.budget.qualityDepositRate) ?? ZERO,
      prepayment: {
        installments: Number(raw.budget.prepayment?.installments ?? raw.budget.prepayment?.weights?.length ?? 12),
        weights: raw.budget.prepayment?.weights?.map((w) => dec(w)),
      },
    },
    payments: {
      rules: (pay.rules ?? []).map((r) => ({
        method: r.method,
        when: {
          setting: r.when?.setting,
          tiers: r.when?.tiers,
          hasCode: r.when?.hasCode,
          losAtLeast: r.when?.losAtLeast === undefined ? undefined : Number(r.when.losAtLeast),
        },
      })),
      drg: pay.drg && {
        baseRate: dec(pay.drg.baseRate),
        weights: tables.drgWeights ?? sortedMap(Object.entries(pay.drg.weights ?? {}).map(([k, v]) => [k, dec(v)])),
        coefficients: coefficients(pay.drg.coefficients),
        highMultiple: opt(pay.drg.highMultiple) ?? new Decimal(3),
        lowMultiple: opt(pay.drg.lowMultiple) ?? new Decimal('0.3'),
        highExcessRate: opt(pay.drg.highExcessRate) ?? ONE,
      },
      dip: pay.dip && {
        groups:
          tables.dipGroups ??
          sortedMap(Object.entries(pay.dip.groups ?? {}).map(([k, g]) => [k, { score: dec(g.score), avgCost: opt(g.avgCost) }])),
        coefficients: coefficients(pay.dip.coefficients),
        lowMultiple: opt(pay.dip.lowMultiple) ?? new Decimal('0.5'),
        highMultiple: opt(pay.dip.highMultiple) ?? new Decimal(2),
        pointValue: opt(pay.dip.pointValue),
        pool: pay.dip.pool && { amount: dec(pay.dip.pool.amount), reimbursementRatio: dec(pay.dip.pool.reimbursementRatio) },
      },
      perDiem: pay.perDiem && {
        rates: Object.fromEntries(Object.entries(pay.perDiem.rates).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dec(v!)])),
        maxDays: pay.perDiem.maxDays === undefined ? undefined : Number(pay.perDiem.maxDays),
      },
      singleDisease: pay.singleDisease && {
        prices: sortedMap(Object.entries(pay.singleDisease.prices).map(([k, v]) => [k, dec(v)])),
      },
      capitation: pay.capitation && {
        rate: dec(pay.capitation.rate),
        contracted: pay.capitation.contracted
          .map((c) => ({ institution: c.institution, enrollees: Number(c.enrollees), rate: opt(c.rate) }))
          .sort((a, b) => (a.institution < b.institution ? -1 : a.institution > b.institution ? 1 : 0)),
      },
    },
    settlement: {
      surplus: raw.settlement?.surplus && {
        mode: raw.settlement.surplus.mode ?? 'marginal',
        bands: raw.settlement.surplus.bands.map((b) => ({ upTo: opt(b.upTo), share: dec(b.share) })),
        scaleByScore: raw.settlement.surplus.scaleByScore === 'true',
        payoutFactor: opt(raw.settlement.surplus.payoutFactor) ?? ONE,
        cap: opt(raw.settlement.surplus.cap),
      },
      overrun: raw.settlement?.overrun && {
        mode: raw.settlement.overrun.mode ?? 'marginal',
        bands: raw.settlement.overrun.bands.map((b) => ({ upTo: opt(b.upTo), fundShare: dec(b.fundShare) })),
        capToReserve: raw.settlement.overrun.capToReserve !== 'false',
        bearer: raw.settlement.overrun.bearer ?? 'lead',
      },
    },
    assessment: {
      score: opt(raw.assessment?.score) ?? new Decimal(100),
      depositReturn: (raw.assessment?.depositReturn ?? []).map((p) => ({ score: dec(p.score), fraction: dec(p.fraction) })),
      scoreGiven: raw.assessment?.score !== undefined,
      fromKpis: buildFromKpis(raw),
    },
    distribution: {
      tierShares: raw.distribution?.tierShares && {
        county: opt(raw.distribution.tierShares.county) ?? ZERO,
        township: opt(raw.distribution.tierShares.township) ?? ZERO,
        village: opt(raw.distribution.tierShares.village) ?? ZERO,
      },
      within: raw.distribution?.within ?? 'workload',
      incentiveRate: opt(raw.distribution?.incentiveRate) ?? ZERO,
      memberScores:
        raw.distribution?.memberScores && sortedMap(Object.entries(raw.distribution.memberScores).map(([k, v]) => [k, dec(v)])),
    },
    carryForward: {
      opening: roundFen(dec(raw.carryForward?.opening ?? '0').times(100)),
      retainShare: opt(raw.carryForward?.retainShare) ?? ZERO,
    },
    claims: claimsResolved,
    claimsAsWritten,
    actuals: raw.actuals && {
      inGroupLiability: dec(raw.actuals.inGroupLiability),
      outOfGroupDeductions: dec(raw.actuals.outOfGroupDeductions),
      outOfGroupOutOfRegion: opt(raw.actuals.outOfGroupOutOfRegion),
    },
    costSharing: raw.costSharing && buildCostSharing(raw.costSharing),
    kpis: buildKpis(raw.kpis),
    effectiveFrom: raw.effectiveFrom?.trim(),
    monthly: {
      mode: raw.monthly?.mode ?? 'installments',
      withholdRate: opt(raw.monthly?.withholdRate) ?? ZERO,
      deductOutOfGroup: raw.monthly?.deductOutOfGroup !== 'false',
      capToBudget: raw.monthly?.capToBudget !== 'false',
      dipPointValue: opt(raw.monthly?.dipPointValue),
    },
    package: raw.package && { funds: PACKAGE_FUNDS.filter((f) => raw.package!.funds.includes(f)) },
    specialCases: raw.specialCases && {
      file: specialCasesResolved ?? raw.specialCases.file,
      fileAsWritten: raw.specialCases.file,
      quota: {
        drg: opt(raw.specialCases.quota?.drg) ?? new Decimal('0.05'), // 国家规则: DRG 特例单议 ≤ 5%
        dip: opt(raw.specialCases.quota?.dip) ?? new Decimal('0.005'), // DIP ≤ 5‰
      },
    },
  };
}

// fast-check generators of YAML-level scenario objects (every scalar a string, as the failsafe YAML parser gives
// them) and of claims (integer fen). Money is integer fen, rates are integer basis points; never fc.double.
import fc from 'fast-check';
import type { Claim, Tier } from '../../src/domain/types.js';

/** Integer fen → "123.45". */
export function yuan(fen: number | bigint): string {
  const n = BigInt(fen);
  const neg = n < 0n;
  const a = neg ? -n : n;
  const s = `${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** Integer basis points → exact decimal text: 250 → "0.025", -1500 → "-0.15", 10000 → "1". */
export function bp(n: number): string {
  const neg = n < 0;
  const a = String(Math.abs(n)).padStart(5, '0');
  const int = a.slice(0, -4).replace(/^0+(?=\d)/, '');
  const frac = a.slice(-4).replace(/0+$/, '');
  const s = frac ? `${int}.${frac}` : int;
  return neg && s !== '0' ? `-${s}` : s;
}

const opt = <T>(a: fc.Arbitrary<T>, freq = 2) => fc.option(a, { nil: undefined, freq });
/** Mostly absent (3 in 4): rule filters, so that rules do match claims. */
const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const bpArb = (min: number, max: number) => fc.integer({ min, max }).map(bp);
const fenArb = (min: number, max: number) => fc.integer({ min, max }).map(yuan);
const bool = fc.constantFrom('true', 'false');

/** Removes keys whose value is undefined, recursively (a YAML file never has them). */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

export const MEMBER_POOL: ReadonlyArray<{ id: string; tier: Tier }> = [
  { id: 'C1', tier: 'county' },
  { id: 'C2', tier: 'county' },
  { id: 'T1', tier: 'township' },
  { id: 'T2', tier: 'township' },
  { id: 'V1', tier: 'village' },
  { id: 'V2', tier: 'village' },
  { id: 'V3', tier: 'village' },
];
export const OUTSIDERS = ['X1', 'X2'];
const DRG_CODES = ['D1', 'D2', 'D3'];
const DIP_CODES = ['P1', 'P2', 'P3'];

export interface GenOptions {
  /** Only marginal bands, payoutFactor ≤ 1 (for the §7.5 monotonicity properties). */
  readonly marginalOnly?: boolean;
  /** Aggregate mode (`actuals:`) allowed. */
  readonly allowActuals?: boolean;
}

function bandsArb(shareKey: 'share' | 'fundShare', maxShare: number) {
  return fc
    .array(fc.record({ step: fc.integer({ min: 1, max: 2000 }), share: fc.integer({ min: 0, max: maxShare }) }), { minLength: 1, maxLength: 4 })
    .map((bs) => {
      let at = 0;
      return bs.map((b, i) => {
        at += b.step;
        return i === bs.length - 1 ? { [shareKey]: bp(b.share) } : { upTo: bp(at), [shareKey]: bp(b.share) };
      });
    });
}

const ruleArb = fc
  .record({
    method: fc.constantFrom('ffs', 'drg', 'drg', 'dip', 'dip', 'perDiem', 'singleDisease', 'capitation'),
    setting: rarely(fc.constantFrom('inpatient', 'outpatient')),
    tiers: rarely(fc.subarray(['county', 'township', 'village'] as Tier[])),
    hasCode: rarely(fc.constantFrom('drg', 'dip')),
    losAtLeast: rarely(fc.integer({ min: 0, max: 60 }).map(String)),
  })
  .map((r) => {
    // drg/dip need their code; singleDisease is priced by dip_code else drg_code: require a DRG code (every DRG
    // code has a price, some DIP codes have one too).
    const hasCode = r.method === 'drg' || r.method === 'singleDisease' ? 'drg' : r.method === 'dip' ? 'dip' : r.hasCode;
    return { when: { setting: r.setting, tiers: r.tiers, hasCode, losAtLeast: r.losAtLeast }, method: r.method };
  });

const tierCoefArb = opt(fc.record({ county: opt(bpArb(5000, 15000)), township: opt(bpArb(5000, 15000)), village: opt(bpArb(5000, 15000)) }));

const paymentsArb = (memberIds: readonly string[]) =>
  fc.record({
    rules: opt(fc.array(ruleArb, { maxLength: 5 }), 6),
    drg: fc.record({
      baseRate: fenArb(100_000, 2_000_000),
      weights: fc.record(Object.fromEntries(DRG_CODES.map((c) => [c, bpArb(1000, 30000)]))),
      coefficients: tierCoefArb,
      highMultiple: opt(bpArb(15000, 40000)),
      lowMultiple: opt(bpArb(1000, 8000)),
      highExcessRate: opt(bpArb(0, 10000)),
    }),
    dip: fc
      .record({
        groups: fc.record(
          Object.fromEntries(
            DIP_CODES.map((c) => [
              c,
              fc.record({
                score: fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), bpArb(100_000, 3_000_000)),
                avgCost: opt(fc.oneof(fenArb(100_000, 3_000_000), fc.constant('0')), 4),
              }),
            ]),
          ),
        ),
        coefficients: tierCoefArb,
        lowMultiple: opt(bpArb(1000, 9000)),
        highMultiple: opt(bpArb(10000, 40000)),
        pointValue: bpArb(500_000, 1_500_000),
        pool: fc.record({ amount: fenArb(0, 30_000_000), reimbursementRatio: bpArb(1, 10000) }),
        mode: fc.constantFrom('budget', 'settlement', 'both'),
      })
      // 预算点值 only, 结算点值 from the pool only, or both given (the budget value wins)
      .map(({ mode, ...d }) => (mode === 'budget' ? { ...d, pool: undefined } : mode === 'settlement' ? { ...d, pointValue: undefined } : d)),
    perDiem: fc
      .record({
        rates: fc.record({ default: opt(fenArb(10_000, 50_000)), county: opt(fenArb(10_000, 50_000)), township: opt(fenArb(10_000, 50_000)), village: opt(fenArb(10_000, 50_000)) }),
        maxDays: opt(fc.integer({ min: 1, max: 60 }).map(String)),
      })
      .map((p) => (p.rates.default === undefined && (!p.rates.county || !p.rates.township || !p.rates.village) ? { ...p, rates: { ...p.rates, default: '300.00' } } : p)),
    singleDisease: fc.record({
      prices: fc
        .tuple(fc.array(fenArb(100_000, 1_000_000), { minLength: 3, maxLength: 3 }), fc.subarray(DIP_CODES), fenArb(100_000, 1_000_000))
        .map(([drgPrices, dips, dipPrice]) => ({
          ...Object.fromEntries(DRG_CODES.map((c, i) => [c, drgPrices[i]])),
          ...Object.fromEntries(dips.map((c) => [c, dipPrice])),
        })),
    }),
    capitation: opt(
      fc.record({
        rate: fenArb(0, 10_000),
        contracted: fc
          .subarray([...memberIds])
          .chain((ids) =>
            fc.tuple(...ids.map((id) => fc.record({ institution: fc.constant(id), enrollees: fc.integer({ min: 0, max: 3000 }).map(String), rate: opt(fenArb(0, 10_000), 3) }))),
          ),
      }),
    ),
  });

const budgetLineArb = fc.oneof(
  fc.record({ category: fc.constantFrom('employee', 'resident', 'poverty'), fund: fc.constantFrom('basic', 'critical', 'assistance'), basis: fc.constant('fixed'), amount: fenArb(0, 60_000_000) }),
  fc.record({ category: fc.constantFrom('employee', 'resident', 'poverty'), fund: fc.constantFrom('basic', 'safetyNet'), basis: fc.constant('perCapita'), rate: fc.oneof(fenArb(0, 5_000), bpArb(0, 500_000)) }),
  fc.record({ category: fc.constantFrom('employee', 'resident', 'poverty'), fund: fc.constantFrom('basic', 'familyDoctor'), basis: fc.constant('baseYear'), baseSpend: fenArb(0, 30_000_000), growth: bpArb(-2000, 3000) }),
  fc.record({ category: fc.constantFrom('employee', 'resident', 'poverty'), fund: fc.constantFrom('basic', 'critical'), basis: fc.constant('revenue'), revenue: fenArb(0, 50_000_000), ratio: bpArb(0, 10000) }),
);

const depositCurveArb = fc
  .array(fc.record({ step: fc.integer({ min: 1, max: 30 }), frac: fc.integer({ min: 0, max: 10000 }) }), { maxLength: 4 })
  .map((pts) => {
    let score = 40;
    const fracs = pts.map((p) => p.frac).sort((a, b) => a - b);
    return pts.map((p, i) => {
      score += p.step;
      return { score: String(score), fraction: bp(fracs[i]) };
    });
  });

/** A YAML-level scenario object. Members are a non-empty subset of MEMBER_POOL, in a random order. */
export function rawScenarioArb(options: GenOptions = {}) {
  return fc
    .shuffledSubarray([...MEMBER_POOL], { minLength: 1 })
    .chain((members) => {
      const ids = members.map((m) => m.id);
      const surplusArb = fc.record({
        mode: options.marginalOnly ? opt(fc.constant('marginal')) : opt(fc.constantFrom('marginal', 'firstDollar')),
        bands: bandsArb('share', 10000),
        scaleByScore: opt(bool),
        cap: opt(bpArb(0, 2000)),
        payoutFactor: opt(options.marginalOnly ? bpArb(0, 10000) : bpArb(0, 15000)),
      });
      const overrunArb = fc.record({
        mode: options.marginalOnly ? opt(fc.constant('marginal')) : opt(fc.constantFrom('marginal', 'firstDollar')),
        bands: bandsArb('fundShare', 10000),
        capToReserve: opt(bool),
        bearer: opt(fc.constantFrom('lead', 'proRata')),
      });
      return fc.record({
        name: fc.constant('generated'),
        year: fc.constant('2024'),
        group: fc.record({ id: fc.constant('G1'), lead: fc.constantFrom(...ids), members: fc.constant(members.map((m) => ({ id: m.id, name: m.id, tier: m.tier }))) }),
        enrollment: fc.record({
          employee: fc.integer({ min: 0, max: 10000 }).map(String),
          resident: fc.integer({ min: 0, max: 10000 }).map(String),
          poverty: fc.integer({ min: 0, max: 10000 }).map(String),
        }),
        budget: fc.record({
          // the first line is fixed and positive, so the package P is never 0
          lines: fc
            .tuple(fenArb(100_000, 40_000_000), fc.array(budgetLineArb, { maxLength: 2 }))
            .map(([amount, rest]) => [{ category: 'resident', fund: 'basic', basis: 'fixed', amount }, ...rest]),
          riskReserveRate: opt(bpArb(0, 1000)),
          qualityDepositRate: opt(bpArb(0, 1000)),
          prepayment: opt(
            fc.oneof(
              fc.record({ installments: fc.integer({ min: 1, max: 12 }).map(String) }),
              fc.record({ weights: fc.array(fc.integer({ min: 0, max: 5 }).map(String), { minLength: 1, maxLength: 12 }) }),
            ),
          ),
        }),
        payments: paymentsArb(ids),
        settlement: fc.record({ surplus: opt(surplusArb, 4), overrun: opt(overrunArb, 4) }),
        assessment: opt(fc.record({ score: opt(fc.integer({ min: 0, max: 1000 }).map((n) => bp(n * 1000))), depositReturn: opt(depositCurveArb) })),
        distribution: opt(
          fc.record({
            tierShares: opt(fc.record({ county: opt(bpArb(0, 10000)), township: opt(bpArb(0, 10000)), village: opt(bpArb(0, 10000)) })),
            within: opt(fc.constantFrom('workload', 'equal')),
            incentiveRate: opt(bpArb(0, 5000)),
          }),
        ),
        carryForward: opt(fc.record({ opening: opt(fenArb(0, 5_000_000)), retainShare: opt(bpArb(0, 10000)) })),
        source: options.allowActuals
          ? fc.oneof(
              { weight: 4, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: fc.record({ inGroupLiability: fc.integer({ min: 0, max: 60_000_000 }), outOfGroupDeductions: fc.integer({ min: 0, max: 20_000_000 }), outFrac: fc.integer({ min: 0, max: 10000 }) }) },
            )
          : fc.constant(undefined),
      });
    })
    .map(({ source, ...raw }) => {
      // at least one tier with members needs a positive share (validated)
      const shares = raw.distribution?.tierShares as Partial<Record<Tier, string>> | undefined;
      if (shares) {
        const tiers = raw.group.members.map((m) => m.tier);
        if (!tiers.some((t) => shares[t] !== undefined && Number(shares[t]) > 0)) shares[tiers[0]] = '1';
      }
      const withSource = source
        ? {
            ...raw,
            actuals: {
              inGroupLiability: yuan(source.inGroupLiability),
              outOfGroupDeductions: yuan(source.outOfGroupDeductions),
              outOfGroupOutOfRegion: yuan(Math.floor((source.outOfGroupDeductions * source.outFrac) / 10000)),
            },
          }
        : { ...raw, claims: ['gen.csv'] };
      return clean(withSource) as RawScenario;
    });
}

export interface RawScenario {
  group: { id: string; lead: string; members: Array<{ id: string; name: string; tier: Tier }> };
  actuals?: unknown;
  [k: string]: unknown;
}

interface ClaimSeed {
  inst: string;
  outOfRegion: boolean;
  setting: 'inpatient' | 'outpatient';
  los: number;
  drg: string;
  dip: string;
  total: number;
  fundBp: number;
  patient: number | undefined;
  reverse: boolean;
}

/** Claims at the given members and two outsiders; some reversed (a reversal row: negated amounts, `reverses` set). */
export function claimsArb(memberIds: readonly string[], maxLength = 30): fc.Arbitrary<Claim[]> {
  const seed: fc.Arbitrary<ClaimSeed> = fc.record({
    inst: fc.constantFrom(...memberIds, ...OUTSIDERS),
    outOfRegion: fc.boolean(),
    setting: fc.constantFrom('inpatient', 'outpatient'),
    los: fc.integer({ min: 0, max: 90 }),
    drg: fc.constantFrom('', ...DRG_CODES),
    dip: fc.constantFrom('', ...DIP_CODES),
    total: fc.oneof(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 20_000 })),
    fundBp: fc.integer({ min: 0, max: 10000 }),
    patient: opt(fc.integer({ min: 0, max: 10000 }), 3),
    reverse: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))), // ~25%
  });
  return fc.array(seed, { maxLength }).map((seeds) => {
    const out: Claim[] = [];
    seeds.forEach((s, i) => {
      const fundPaid = Math.floor((s.total * s.fundBp) / 10000);
      const patientPaid = s.patient === undefined ? s.total - fundPaid : Math.floor(((s.total - fundPaid) * s.patient) / 10000);
      const c: Claim = {
        claimId: `K${String(i).padStart(4, '0')}`,
        patientId: `P${i % 7}`,
        category: (['employee', 'resident', 'poverty'] as const)[i % 3],
        institutionId: s.inst,
        outOfRegion: s.outOfRegion,
        setting: s.setting,
        serviceDate: '2024-05-01',
        losDays: s.setting === 'inpatient' ? s.los : 0,
        drgCode: s.drg,
        dipCode: s.dip,
        totalCost: s.total,
        fundPaid,
        patientPaid,
        reverses: '',
      };
      out.push(c);
      if (s.reverse) out.push(reversalOf(c, `R${String(i).padStart(4, '0')}`));
    });
    return out;
  });
}

export function reversalOf(c: Claim, id: string): Claim {
  const neg = (n: number) => (n === 0 ? 0 : -n);
  const r: Claim = { ...c, claimId: id, totalCost: neg(c.totalCost), fundPaid: neg(c.fundPaid), patientPaid: neg(c.patientPaid), reverses: c.claimId };
  // §13.1 fund columns, when the claim has them
  return c.criticalPaid === undefined
    ? r
    : { ...r, criticalPaid: neg(c.criticalPaid), assistancePaid: neg(c.assistancePaid ?? 0), otherPaid: neg(c.otherPaid ?? 0) };
}

/** A scenario object with claims for its members. */
export function caseArb(options: GenOptions = {}) {
  return rawScenarioArb(options).chain((raw) =>
    fc.record({ raw: fc.constant(raw), claims: raw.actuals ? fc.constant([] as Claim[]) : claimsArb(raw.group.members.map((m) => m.id)) }),
  );
}

// DOMAIN.md §13 by hand: packaged funds, special cases (特例单议) and member scores, each rule with its arithmetic.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settleScenario } from '../../src/app/settle.js';
import { formatInputError } from '../../src/cli/errors.js';
import { InputRejected } from '../../src/domain/errors.js';
import { formatFen } from '../../src/domain/money.js';
import type { SettlementResult } from '../../src/domain/result.js';
import type { Claim, Scenario, SpecialCase } from '../../src/domain/types.js';
import { resultToJson } from '../../src/report/json.js';
import { loadScenarioWithOverrides } from '../../src/scenario/load.js';
import { reversalOf } from '../helpers/arbitraries.js';
import { claim, scenarioFromYaml, settleClaims } from '../helpers/scenario.js';

const FIXTURE = 'test/fixtures/funds/scenario.yaml';
const dir = mkdtempSync(join(tmpdir(), 'yibao-funds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function settleFixture(sets: readonly string[] = []): Promise<SettlementResult> {
  const loaded = loadScenarioWithOverrides(FIXTURE, sets);
  return (await settleScenario(loaded.scenario, loaded.inputs)).result;
}

async function rejection(sets: readonly string[]): Promise<string[]> {
  try {
    await settleFixture(sets);
  } catch (e) {
    if (e instanceof InputRejected) return e.errors.map(formatInputError);
    throw e;
  }
  throw new Error('expected the run to be rejected');
}

const yuan = (fen: number) => formatFen(fen);

describe('packaged funds (§13.1) on the fixture: package [basic, critical]', () => {
  it('deducts the packaged columns out of group and reduces payment standards by the unpackaged ones', async () => {
    const r = await settleFixture();
    const a = r.actuals;
    // Out of group: X1 (in region) 12,000 basic + 3,000 critical = 15,000 (its 2,000 assistance is not packaged);
    //               X2 (out of region) 6,000 basic (its 1,000 other is not packaged).      D = 21,000.00
    expect(yuan(a.outOfGroupInRegion)).toBe('15000.00');
    expect(yuan(a.outOfGroupOutOfRegion)).toBe('6000.00');
    expect(yuan(a.outOfGroupDeductions)).toBe('21000.00');
    // In group:
    //  C1 DRG A1 at H01: standard 10,000 × 1 = 10,000; cost 12,000 within [3,000, 30,000]; patient_paid defaults to
    //     12,000 − (8,000 + 1,000 + 500) = 2,500; U = 500 (assistance) → 10,000 − 2,500 − 500 = 7,000.00
    //  C2 DRG A2 special case: agreed 45,000; patient 50,000 − 35,000 = 15,000; U = 0 → 30,000.00
    //  C3 ffs at T01: packaged basic 600 + critical 100 = 700.00 (assistance 50 is not)
    //  C4 DIP P1 at T01: 100 points × 100 = 10,000; patient 8,000 − 6,000 = 2,000; U = 1,000 → 7,000.00
    //  C5 ffs at T02: 300.00
    // L = 7,000 + 30,000 + 700 + 7,000 + 300 = 45,000.00
    expect(r.members.map((m) => [m.id, yuan(m.claims)])).toEqual([
      ['H01', '37000.00'],
      ['T01', '7700.00'],
      ['T02', '300.00'],
      ['V01', '0.00'],
    ]);
    expect(yuan(a.inGroupLiability)).toBe('45000.00');
    // per fund: D_basic 18,000 + D_critical 3,000 = D; L_basic 8,000+30,000+600+5,000+300 = 43,900;
    // L_critical 1,000+5,000+100 = 6,100; adjustment 45,000 − 50,000 = −5,000.
    const f = a.funds!;
    expect(f.packaged).toEqual(['basic', 'critical']);
    expect(f.lines.map((l) => [l.fund, l.packaged, yuan(l.outOfGroup), yuan(l.deduction), yuan(l.inGroup), yuan(l.liability)])).toEqual([
      ['basic', true, '18000.00', '18000.00', '43900.00', '43900.00'],
      ['critical', true, '3000.00', '3000.00', '6100.00', '6100.00'],
      ['assistance', false, '2000.00', '0.00', '1550.00', '0.00'],
      ['other', false, '1000.00', '0.00', '0.00', '0.00'],
    ]);
    expect(yuan(f.paymentAdjustment)).toBe('-5000.00');
  });

  it('analyses where the out-of-group money goes: institution × region × category × referral, every fund', async () => {
    const r = await settleFixture();
    expect(resultToJson(r, 't')).toMatchObject({
      actuals: {
        outOfGroupAnalysis: [
          {
            institutionId: 'Z01',
            outOfRegion: false,
            category: 'resident',
            referral: 'up',
            claims: 1,
            funds: { basic: '12000.00', critical: '3000.00', assistance: '2000.00', other: '0.00' },
            deduction: '15000.00',
          },
          {
            institutionId: 'Z02',
            outOfRegion: true,
            category: 'poverty',
            referral: 'none',
            claims: 1,
            funds: { basic: '6000.00', critical: '0.00', assistance: '0.00', other: '1000.00' },
            deduction: '6000.00',
          },
        ],
      },
    });
  });

  it('--set package.funds changes what is deducted: [basic] alone, then all four', async () => {
    // [basic]: D = 12,000 + 6,000 = 18,000; C1: U = 1,000 + 500 → 10,000 − 2,500 − 1,500 = 6,000; C3: 600;
    // C4: U = 1,000 → 7,000; C2 special: U = 5,000 → 45,000 − 15,000 − 5,000 = 25,000; C5 300. L = 38,900.
    const basic = await settleFixture(['package.funds=[basic]']);
    expect([yuan(basic.actuals.outOfGroupDeductions), yuan(basic.actuals.inGroupLiability)]).toEqual(['18000.00', '38900.00']);
    // all four: D = 17,000 + 7,000 = 24,000; C1: U = 0 → 7,500; C3: 750; C4: U = 0 → 8,000; C2: 30,000; C5: 300.
    // L = 7,500 + 30,000 + 750 + 8,000 + 300 = 46,550.
    const all = await settleFixture(['package.funds=[basic, critical, assistance, other]']);
    expect([yuan(all.actuals.outOfGroupDeductions), yuan(all.actuals.inGroupLiability)]).toEqual(['24000.00', '46550.00']);
  });
});

describe('special cases (§13.2)', () => {
  it('prices a listed claim at its agreed amount and shows formula price, agreed amount and difference', async () => {
    const r = await settleFixture();
    const sc = r.actuals.specialCases!;
    // C2: formula DRG A2 = 10,000 × 2 = 20,000 (cost 50,000 < 3 × 20,000: no outlier); agreed 45,000 → +25,000.
    expect(sc.lines.map((l) => [l.claimId, l.memberId, l.method, yuan(l.formulaStandard), yuan(l.agreed), yuan(l.agreed - l.formulaStandard), yuan(l.liability), l.reason])).toEqual([
      ['C2', 'H01', 'drg', '20000.00', '45000.00', '25000.00', '30000.00', '新技术 new technology'],
    ]);
    // quota: DRG 2 claims (C1, C2) × 0.5 = 1 allowed, 1 listed; DIP 1 claim × 0.005 = 0 allowed, 0 listed
    expect(sc.quota.map((q) => [q.method, q.quota.toFixed(), q.claims, q.allowed, q.cases])).toEqual([
      ['drg', '0.5', 2, 1, 1],
      ['dip', '0.005', 1, 0, 0],
    ]);
    expect(r.inputs.map((i) => [i.role, i.file])).toContainEqual(['table', 'special-cases.csv']);
  });

  it('refuses an over-quota list with the counts, and writes nothing', () => {
    const out = join(dir, 'over.json');
    const run = spawnSync(process.execPath, ['bin/yibao.js', 'settle', FIXTURE, '--json', out, '--set', 'specialCases.file=special-cases-over.csv'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(run.stdout).toBe('');
    // 2 DRG cases (C1 row 2, C2 row 3) against floor(0.5 × 2) = 1: the second is over the quota
    expect(run.stderr).toContain('1 error(s)');
    expect(run.stderr).toContain(
      'special-cases-over.csv, row 3, column claim_id (结算单据号) [C2]: 特例单议超过限额：DRG 特例 2 例，限额 1 例（0.5 × 2 例 DRG 病例，向下取整）；本行为第 2 例，超出限额 / special cases over quota: 2 drg cases, quota 1 (0.5 × 2 drg claims, rounded down); this row is case 2, beyond the quota (specialCases.quota)',
    );
  });

  it('rejects unknown, out-of-group and wrong-method claims, each on its row (in the order the claims are read)', async () => {
    expect(await rejection(['specialCases.file=special-cases-rules.csv'])).toEqual([
      'special-cases-rules.csv, row 4, column claim_id (结算单据号) [C3]: 特例单议：结算单据号 C3 的支付方式为按项目 ffs；特例单议只适用于 DRG、DIP、按床日、单病种 / special case: claim C3 is paid by ffs; special cases apply to drg, dip, perDiem or singleDisease only (specialCases.method)',
      'special-cases-rules.csv, row 3, column claim_id (结算单据号) [X1]: 特例单议：结算单据号 X1 在医共体外机构 Z01 就医，只有医共体内的病例可以特例单议 / special case: claim X1 was at Z01, outside the group; only in-group claims can be special cases (specialCases.outOfGroup)',
      'special-cases-rules.csv, row 2, column claim_id (结算单据号) [C9]: 特例单议：结算单据号 C9 不在结算明细中 / special case: claim C9 is not among the claims (specialCases.unknownClaim)',
    ]);
  });

  it('rejects duplicate ids, bad amounts and empty ids in the list file itself', async () => {
    expect(await rejection(['specialCases.file=special-cases-bad.csv'])).toEqual([
      'special-cases-bad.csv, row 3, column claim_id (结算单据号) [C2]: 结算单据号 C2 在特例单议清单中重复（首次出现在第 2 行） / claim C2 is listed twice (first on row 2) (specialCases.duplicate)',
      'special-cases-bad.csv, row 4, column agreed_amount (核定金额) [abc]: 核定金额 "abc" 应为不小于 0、至多两位小数的金额（元） / agreed amount "abc" must be yuan ≥ 0 with at most two decimals (specialCases.amount)',
      'special-cases-bad.csv, row 5, column claim_id (结算单据号): 结算单据号为空 / the claim id is empty (specialCases.noClaimId)',
    ]);
  });
});

// In-memory cases: scenario text plus a list attached as the loader would.
const DIP_YAML = `
name: dip special
year: 2024
group: { id: G, lead: H01, members: [ { id: H01, tier: county }, { id: T01, tier: township } ] }
budget: { lines: [ { category: resident, fund: basic, basis: fixed, amount: 100000 } ] }
payments:
  rules: [ { when: { setting: inpatient, hasCode: dip }, method: dip } ]
  dip: { groups: { P1: { score: 100 } }, pool: { amount: 10000, reimbursementRatio: 1 } }
specialCases: { file: sc.csv, quota: { dip: 1 } }
claims: c.csv
`;

function withList(s: Scenario, cases: ReadonlyArray<[string, number]>): Scenario {
  const map = new Map<string, SpecialCase>(cases.map(([claimId, agreed], i) => [claimId, { claimId, agreed, reason: '', row: i + 2 }]));
  return { ...s, specialCases: { ...s.specialCases!, list: { file: 'sc.csv', sha256: '', cases: map } } };
}

const dipClaim = (id: string, total: number, fund: number): Claim =>
  claim({ claimId: id, institutionId: 'T01', setting: 'inpatient', losDays: 5, dipCode: 'P1', totalCost: total, fundPaid: fund });

describe('DIP special cases add no points; reversals of special cases', () => {
  const D1 = dipClaim('D1', 500_000, 400_000); // patient 1,000.00
  const D2 = dipClaim('D2', 600_000, 500_000); // patient 1,000.00

  it('a DIP special case is paid its agreed amount and leaves Σ points to the others', async () => {
    const r = await settleClaims(withList(scenarioFromYaml(DIP_YAML), [['D2', 900_000]]), [D1, D2]);
    // Σ points = 100 (D1 only) → point value = (10,000 / 1) / 100 = 100 yuan a point.
    expect(r.actuals.dip!.totalPoints.toFixed()).toBe('100');
    expect(r.actuals.dip!.pointValue.toFixed()).toBe('100');
    // D1: 100 × 100 = 10,000 − 1,000 = 9,000.00; D2: agreed 9,000 − 1,000 = 8,000.00. L = 17,000.00
    expect(yuan(r.actuals.inGroupLiability)).toBe('17000.00');
    // the sheet's formula price for D2: its 100 points at the run's point value = 10,000 → difference −1,000
    const line = r.actuals.specialCases!.lines[0];
    expect([yuan(line.formulaStandard), yuan(line.agreed), yuan(line.liability)]).toEqual(['10000.00', '9000.00', '8000.00']);
    // Without the list both count: Σ 200 points → 50 yuan a point; each 5,000 − 1,000 = 4,000. L = 8,000.00
    const plain = await settleClaims({ ...scenarioFromYaml(DIP_YAML), specialCases: undefined }, [D1, D2]);
    expect(yuan(plain.actuals.inGroupLiability)).toBe('8000.00');
  });

  it('a reversal of a special case reverses its agreed payment: the pair nets to nothing', async () => {
    const s = withList(scenarioFromYaml(DIP_YAML), [['D2', 900_000]]);
    const without = await settleClaims(s.specialCases ? withList(scenarioFromYaml(DIP_YAML), []) : s, [D1]);
    const R2 = reversalOf(D2, 'R2');
    const pair = await settleClaims(s, [D1, D2, R2]);
    // D2 8,000.00 and R2 −8,000.00 cancel; D1 alone: 100 points → 100 a point → 9,000.00, as without D2 at all
    expect(yuan(pair.actuals.inGroupLiability)).toBe('9000.00');
    expect(pair.actuals.inGroupLiability).toBe(without.actuals.inGroupLiability);
    expect(pair.members.map((m) => m.total)).toEqual(without.members.map((m) => m.total));
    expect(pair.actuals.specialCases!.lines.map((l) => [l.claimId, l.reverses, yuan(l.agreed), yuan(l.liability)])).toEqual([
      ['D2', '', '9000.00', '8000.00'],
      ['R2', 'D2', '-9000.00', '-8000.00'],
    ]);
  });

  it('a reversal row may not be listed itself', async () => {
    const s = withList(scenarioFromYaml(DIP_YAML), [['R2', 100]]);
    await expect(settleClaims(s, [D1, D2, reversalOf(D2, 'R2')])).rejects.toThrow(InputRejected);
    try {
      await settleClaims(s, [D1, D2, reversalOf(D2, 'R2')]);
    } catch (e) {
      expect((e as InputRejected).errors.map((x) => x.rule)).toEqual(['specialCases.reversal']);
    }
  });

  it('the quota counts the claims of a method, special cases included, reversals not', async () => {
    // 3 DIP originals and 1 reversal: floor(0.5 × 3) = 1 allowed; listing 2 → the second (row 3) is over.
    const s = withList({ ...scenarioFromYaml(DIP_YAML), specialCases: { ...scenarioFromYaml(DIP_YAML).specialCases!, quota: { drg: scenarioFromYaml(DIP_YAML).specialCases!.quota.drg, dip: scenarioFromYaml(DIP_YAML).specialCases!.quota.dip.dividedBy(2) } } }, [
      ['D1', 100],
      ['D2', 100],
    ]);
    const D3 = dipClaim('D3', 100_000, 50_000);
    try {
      await settleClaims(s, [D1, D2, D3, reversalOf(D3, 'R3')]);
      throw new Error('expected a rejection');
    } catch (e) {
      const errors = (e as InputRejected).errors;
      expect(errors.map((x) => [x.rule, x.row, x.value])).toEqual([['specialCases.quota', 3, 'D2']]);
      expect(errors[0].en).toContain('2 dip cases, quota 1 (0.5 × 3 dip claims');
    }
  });
});

describe('member scores (§13.3) on the fixture', () => {
  it('splits a tier’s positive adjustment by workload × score and reports each effect', async () => {
    const r = await settleFixture();
    // S = 0.05 × 950,000 = 47,500 (X = 884,000 is far above 5% of P); Δ = 47,500; tiers 0.5/0.5 (village 0):
    // county 23,750.00 to H01; township 23,750.00 between T01 (workload 7,700, score 80) and T02 (300, score 100).
    // Unscored: 2,375,000 fen × 7,700/8,000 = 2,285,937.5 and × 300/8,000 = 89,062.5 → tie, T01 first:
    //           T01 22,859.38, T02 890.62.
    // Scored: weights 616,000 and 30,000: 2,375,000 × 616/646 = 2,264,705.88…, × 30/646 = 110,294.11… →
    //           T01 22,647.06, T02 1,102.94. Effects −212.32 and +212.32.
    expect(r.members.map((m) => [m.id, m.score?.toFixed(), yuan(m.adjustment), yuan(m.scoreEffect ?? 0)])).toEqual([
      ['H01', '100', '23750.00', '0.00'],
      ['T01', '80', '22647.06', '-212.32'],
      ['T02', '100', '1102.94', '212.32'],
      ['V01', '100', '0.00', '0.00'],
    ]);
  });

  it('a shortfall is not scored', async () => {
    // budget 40,000 → R 2,000, P 38,000; D 21,000; A 17,000; L 45,000 → X = −28,000: Δ < 0, the lead bears it.
    const r = await settleFixture(['budget.lines[0].amount=40000']);
    expect(r.settlement.balance).toBeLessThan(0);
    expect(r.members.map((m) => [m.id, yuan(m.scoreEffect ?? 0)])).toEqual([
      ['H01', '0.00'],
      ['T01', '0.00'],
      ['T02', '0.00'],
      ['V01', '0.00'],
    ]);
    expect(yuan(r.members.find((m) => m.id === 'H01')!.adjustment)).toBe('-28000.00');
  });
});

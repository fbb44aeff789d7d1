// Golden tests of scenario validation messages: every problem at once, each with its key path, 中文 and English.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatInputError } from '../../src/cli/errors.js';
import { InputRejected } from '../../src/domain/errors.js';
import { loadScenarioFile, parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';
import { scenarioErrors } from '../helpers/scenario.js';

const BASE = `
name: t
year: 2024
group: { id: G, lead: H01, members: [ { id: H01, tier: county } ] }
budget: { lines: [ { category: resident, fund: basic, basis: fixed, amount: 100 } ] }
claims: c.csv
`;

describe('scenario validation', () => {
  it('reports every error of the bad fixture at once (shape and cross-key), in a stable golden form', () => {
    let errors: string[] = [];
    try {
      loadScenarioFile('test/fixtures/scenarios/bad.yaml');
    } catch (e) {
      errors = (e as InputRejected).errors.map(formatInputError);
    }
    expect(errors).toEqual([
      'test/fixtures/scenarios/bad.yaml, key group.members[1].tier [town]: group.members[1].tier 的值 "town" 无效，应为 county / township / village 之一 / group.members[1].tier is "town", which is not one of county / township / village (enum)',
      'test/fixtures/scenarios/bad.yaml, key budget.riskReserveRate [1.5]: budget.riskReserveRate 的值 "1.5" 应为 0 到 1 之间的比例 / budget.riskReserveRate is "1.5": must be a rate between 0 and 1 (fraction)',
      'test/fixtures/scenarios/bad.yaml, key budget.qualityDepositRate [abc]: budget.qualityDepositRate 的值 "abc" 应为数字（如 "700" 或 "0.05"） / budget.qualityDepositRate is "abc": must be a number (such as "700" or "0.05") (number)',
      'test/fixtures/scenarios/bad.yaml, key group.lead [H99]: 牵头医院 H99 不是医共体成员单位 / the lead H99 is not a member of the group (lead.notMember)',
      'test/fixtures/scenarios/bad.yaml, key enrollment.resident: 预算行 1 按人头核定，但未给出 resident 参保人数 / budget line 1 is per capita, but enrollment.resident is not given (budget.missingEnrollment)',
      'test/fixtures/scenarios/bad.yaml, key payments.capitation.contracted[0].institution [V09]: 按人头签约机构 V09 不是医共体成员单位 / capitation contract names V09, which is not a member (capitation.notMember)',
      'test/fixtures/scenarios/bad.yaml, key settlement.surplus.bands[1].upTo [0.05]: 各档 upTo 必须递增：0.05 不大于上一档 0.10 / band upTo values must increase: 0.05 is not above 0.10 (bands.notIncreasing)',
      'test/fixtures/scenarios/bad.yaml, key assessment.depositReturn[1].fraction [0.5]: 保证金返还比例不能随得分升高而下降 / depositReturn fractions must not decrease as the score rises (deposit.fractionOrder)',
    ]);
  });

  it('reports cross-key rules together once the shape is right', () => {
    const yaml = `
name: t
year: 2024
group:
  id: G
  lead: H99
  members: [ { id: H01, tier: county }, { id: T01, tier: township } ]
budget:
  lines: [ { category: resident, fund: basic, basis: perCapita, rate: 700 } ]
payments:
  capitation: { rate: 60, contracted: [ { institution: V09, enrollees: 100 } ] }
settlement:
  surplus: { bands: [ { upTo: 0.10, share: 1 }, { upTo: 0.05, share: 0.5 }, { share: 0 } ] }
assessment: { depositReturn: [ { score: 60, fraction: 0.8 }, { score: 95, fraction: 0.5 } ] }
claims: c.csv
`;
    expect(scenarioErrors(yaml)).toEqual([
      's.yaml, key group.lead [H99]: 牵头医院 H99 不是医共体成员单位 / the lead H99 is not a member of the group (lead.notMember)',
      's.yaml, key enrollment.resident: 预算行 1 按人头核定，但未给出 resident 参保人数 / budget line 1 is per capita, but enrollment.resident is not given (budget.missingEnrollment)',
      's.yaml, key payments.capitation.contracted[0].institution [V09]: 按人头签约机构 V09 不是医共体成员单位 / capitation contract names V09, which is not a member (capitation.notMember)',
      's.yaml, key settlement.surplus.bands[1].upTo [0.05]: 各档 upTo 必须递增：0.05 不大于上一档 0.10 / band upTo values must increase: 0.05 is not above 0.10 (bands.notIncreasing)',
      's.yaml, key assessment.depositReturn[1].fraction [0.5]: 保证金返还比例不能随得分升高而下降 / depositReturn fractions must not decrease as the score rises (deposit.fractionOrder)',
    ]);
  });

  it('names unknown keys (typos) and missing required keys', () => {
    const errors = scenarioErrors(BASE.replace('budget: {', 'budget: { riskReserverate: 0.05,').replace('name: t\n', ''));
    expect(errors).toEqual([
      's.yaml, key name: 缺少必填项 name / name is required (required)',
      's.yaml, key budget.riskReserverate: budget 中有未知的键：riskReserverate（拼写错误？） / budget has an unknown key: riskReserverate (a typo?) (unknownKey)',
    ]);
  });

  it('keeps band shares within 0–1 (a retained or fund share above the whole amount is not a policy)', () => {
    const errors = scenarioErrors(`${BASE}settlement:
  surplus: { bands: [ { upTo: 0.05, share: 1.2 }, { share: 0.5 } ] }
  overrun: { bands: [ { fundShare: -0.1 } ] }
`);
    expect(errors).toEqual([
      's.yaml, key settlement.surplus.bands[0].share [1.2]: settlement.surplus.bands[0].share 的值 "1.2" 应为 0 到 1 之间的比例 / settlement.surplus.bands[0].share is "1.2": must be a rate between 0 and 1 (fraction)',
      's.yaml, key settlement.overrun.bands[0].fundShare [-0.1]: settlement.overrun.bands[0].fundShare 的值 "-0.1" 应为 0 到 1 之间的比例 / settlement.overrun.bands[0].fundShare is "-0.1": must be a rate between 0 and 1 (fraction)',
    ]);
  });

  it('accepts numbers written as numbers or strings, exactly', () => {
    expect(scenarioErrors(BASE)).toEqual([]);
    const s = scenarioFromObject(parseScenarioText(BASE.replace('amount: 100', 'amount: "0.1"'), 's.yaml'), 's.yaml', '/tmp').scenario;
    expect(s.budget.lines[0].amount!.toFixed()).toBe('0.1');
  });

  it('reports a YAML syntax error with its line', () => {
    expect(() => parseScenarioText('name: [unclosed\n', 'x.yaml')).toThrow(InputRejected);
  });

  it('the bad fixture is what the CLI e2e test uses', () => {
    expect(readFileSync('test/fixtures/scenarios/bad.yaml', 'utf8')).toContain('tier: town');
  });
});

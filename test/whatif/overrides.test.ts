// extends and --set: precedence, path syntax, list handling, file paths, and precise errors.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputRejected } from '../../src/domain/errors.js';
import { loadScenarioFile, loadScenarioWithOverrides } from '../../src/scenario/load.js';
import { applySets, deepMerge, parseKeyPath, parseSetValue, setAtPath } from '../../src/scenario/overrides.js';

const BASE = `
name: base
year: 2024
group: { id: G, lead: H01, members: [ { id: H01, tier: county }, { id: T01, tier: township } ] }
budget:
  lines: [ { category: resident, fund: basic, basis: fixed, amount: "1000000" } ]
  riskReserveRate: "0.05"
  qualityDepositRate: "0.02"
settlement:
  surplus: { mode: marginal, bands: [ { upTo: "0.05", share: "1" }, { share: "0.5" } ] }
  overrun: { bands: [ { fundShare: "0.5" } ] }
payments:
  drg: { baseRate: "9000", weightsFile: tables/drg.csv }
  rules: [ { when: { setting: inpatient, hasCode: drg }, method: drg } ]
claims: [ data/claims.csv ]
`;

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-ovr-'));
  mkdirSync(join(dir, 'tables'));
  mkdirSync(join(dir, 'variants', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'tables', 'drg.csv'), 'code,weight\nES23,0.8\n');
  writeFileSync(join(dir, 'base.yaml'), BASE);
  writeFileSync(join(dir, 'variants', 'v1.yaml'), 'extends: ../base.yaml\nname: v1\nbudget: { riskReserveRate: "0.03" }\n');
  writeFileSync(join(dir, 'variants', 'deep', 'v2.yaml'), 'extends: ../v1.yaml\nname: v2\nsettlement: { overrun: ~ }\n');
  return dir;
}

function rejected(f: () => unknown): InputRejected {
  try {
    f();
  } catch (e) {
    if (e instanceof InputRejected) return e;
    throw e;
  }
  throw new Error('expected InputRejected');
}

describe('key paths and values', () => {
  it('parses dots, indices and quoted keys', () => {
    expect(parseKeyPath('settlement.surplus.bands[1].share')).toEqual(['settlement', 'surplus', 'bands', 1, 'share']);
    expect(parseKeyPath('payments.dip.groups["I63.9"].score')).toEqual(['payments', 'dip', 'groups', 'I63.9', 'score']);
    for (const bad of ['', 'a..b', 'a.', 'a[x]', 'a[1', 'a[0]b']) expect(() => parseKeyPath(bad)).toThrow(InputRejected);
  });
  it('reads values as failsafe YAML: scalars stay text, flow collections parse', () => {
    expect(parseSetValue('0.03')).toBe('0.03');
    expect(parseSetValue('[{share: 1}]')).toEqual([{ share: '1' }]);
    expect(parseSetValue('~')).toBeUndefined();
    expect(() => parseSetValue('[{share: 1}', 'x')).toThrow(InputRejected);
  });
  it('later --set wins; missing mappings are created; the input is not changed', () => {
    const root = { a: { b: '1' } };
    const out = applySets(root, ['a.b=2', 'a.b=3', 'c.d=4']);
    expect(out).toEqual({ a: { b: '3' }, c: { d: '4' } });
    expect(root).toEqual({ a: { b: '1' } });
  });
  it('rejects a missing list index and a path through a scalar, naming the path', () => {
    const e1 = rejected(() => setAtPath({ l: ['x'] }, ['l', 3, 'k'], '1'));
    expect(e1.errors[0]).toMatchObject({ path: 'l[3].k', rule: 'set.noIndex' });
    const e2 = rejected(() => setAtPath({ a: 'text' }, ['a', 'b'], '1'));
    expect(e2.errors[0]).toMatchObject({ path: 'a.b', rule: 'set.throughScalar' });
    const e3 = rejected(() => setAtPath({ a: { b: '1' } }, ['a', 0], '1'));
    expect(e3.errors[0]).toMatchObject({ path: 'a[0]', rule: 'set.notList' });
  });
  it('deep-merges mappings, replaces lists whole, removes on ~', () => {
    expect(deepMerge({ a: { x: '1', y: '2' }, l: ['1', '2'] }, { a: { y: '3' }, l: ['9'] })).toEqual({ a: { x: '1', y: '3' }, l: ['9'] });
    expect(deepMerge({ a: { x: '1' }, b: '2' }, { b: '~' })).toEqual({ a: { x: '1' } });
  });
});

describe('loadScenarioWithOverrides', () => {
  it('without extends or --set behaves like before', () => {
    const dir = tree();
    const a = loadScenarioFile(join(dir, 'base.yaml'));
    expect(a.scenario.claimsAsWritten).toEqual(['data/claims.csv']);
    expect(a.scenario.claims).toEqual([join(dir, 'data', 'claims.csv')]);
    expect(a.inputs.map((i) => [i.role, i.file])).toEqual([['scenario', 'base.yaml'], ['table', 'tables/drg.csv']]);
  });

  it('precedence: base < extending file < --set, in order; chains resolve paths against the file that wrote them', () => {
    const dir = tree();
    const v2 = loadScenarioWithOverrides(join(dir, 'variants', 'deep', 'v2.yaml'), []);
    expect(v2.scenario.name).toBe('v2');
    expect(v2.scenario.budget.riskReserveRate.toFixed()).toBe('0.03');
    expect(v2.scenario.budget.qualityDepositRate.toFixed()).toBe('0.02');
    expect(v2.scenario.settlement.overrun).toBeUndefined(); // removed by ~
    expect(v2.scenario.claims).toEqual([join(dir, 'data', 'claims.csv')]);
    expect(v2.scenario.claimsAsWritten).toEqual(['../../data/claims.csv']); // shown relative to v2.yaml
    expect(v2.scenario.payments.drg!.weights.get('ES23')!.toFixed()).toBe('0.8');
    expect(v2.inputs.map((i) => i.file)).toEqual(['v2.yaml', '../v1.yaml', '../../base.yaml', '../../tables/drg.csv']);

    const set = loadScenarioWithOverrides(join(dir, 'variants', 'deep', 'v2.yaml'), ['budget.riskReserveRate=0.01', 'budget.riskReserveRate=0.04', 'settlement.surplus.bands[1].share=0.6']);
    expect(set.scenario.budget.riskReserveRate.toFixed()).toBe('0.04');
    expect(set.scenario.settlement.surplus!.bands[1].share.toFixed()).toBe('0.6');
    expect(set.scenario.settlement.surplus!.bands[0].share.toFixed()).toBe('1');
    expect(set.inputs.filter((i) => i.file.startsWith('--set')).map((i) => i.file)).toHaveLength(3);
    expect((set.effective as { budget: { riskReserveRate: string } }).budget.riskReserveRate).toBe('0.04');
  });

  it('a whole list by flow value', () => {
    const dir = tree();
    const l = loadScenarioWithOverrides(join(dir, 'base.yaml'), ['settlement.surplus.bands=[{share: 1}]']);
    expect(l.scenario.settlement.surplus!.bands.map((b) => b.share.toFixed())).toEqual(['1']);
  });

  it('invalid overrides get the same precise errors as scenario files', () => {
    const dir = tree();
    const f = join(dir, 'base.yaml');
    expect(rejected(() => loadScenarioWithOverrides(f, ['budget.riskReserveRate=abc'])).errors[0]).toMatchObject({ path: 'budget.riskReserveRate', rule: 'number' });
    expect(rejected(() => loadScenarioWithOverrides(f, ['budget.riskReserveRate=1.5'])).errors[0]).toMatchObject({ path: 'budget.riskReserveRate', rule: 'fraction' });
    expect(rejected(() => loadScenarioWithOverrides(f, ['budget.riskReserveRat=0.1'])).errors[0]).toMatchObject({ path: 'budget.riskReserveRat', rule: 'unknownKey' });
    expect(rejected(() => loadScenarioWithOverrides(f, ['settlement.surplus.bands[0].upTo=0.5', 'settlement.surplus.bands=[{upTo: 0.1, share: 1}, {upTo: 0.05, share: 1}, {share: 0}]'])).errors[0]).toMatchObject({
      path: 'settlement.surplus.bands[1].upTo',
      rule: 'bands.notIncreasing',
    });
    expect(rejected(() => loadScenarioWithOverrides(f, ['settlement.surplus.bands[7].share=1'])).errors[0]).toMatchObject({ path: 'settlement.surplus.bands[7].share', rule: 'set.noIndex' });
    expect(rejected(() => loadScenarioWithOverrides(f, ['name.x=1'])).errors[0]).toMatchObject({ path: 'name.x', rule: 'set.throughScalar' });
    expect(rejected(() => loadScenarioWithOverrides(f, ['noequals'])).errors[0]).toMatchObject({ rule: 'set.syntax' });
  });

  it('detects extends cycles and missing bases', () => {
    const dir = tree();
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\nname: a\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\nname: b\n');
    expect(rejected(() => loadScenarioWithOverrides(join(dir, 'a.yaml'), [])).errors[0]).toMatchObject({ path: 'extends', rule: 'extends.cycle' });
    writeFileSync(join(dir, 'c.yaml'), 'extends: nowhere.yaml\n');
    expect(rejected(() => loadScenarioWithOverrides(join(dir, 'c.yaml'), [])).errors[0]).toMatchObject({ rule: 'file.unreadable' });
  });
});

// Rules that span several keys of a scenario (the shape itself is `schema.ts`). Each rule adds every problem it
// finds to the list; nothing throws.
import { KPI_IDS, type InputError } from '../domain/types.js';
import type { RawScenario } from './schema.js';
import { dec } from '../domain/money.js';
import { lookalikeKey, normalizeCode } from '../domain/codes.js';

/** The most prepayment installments a year can have: one a day. */
export const MAX_INSTALLMENTS = 366;

type Push = (path: string, rule: string, zh: string, en: string, value?: string) => void;

/**
 * Runs every cross-key rule. It is also run on a scenario whose shape is wrong (so that all problems are reported
 * at once): each rule then sees possibly malformed parts, and a rule that trips over them is skipped, since the
 * shape errors already name the place.
 */
export function checkScenarioRules(raw: RawScenario, file?: string): InputError[] {
  const errors: InputError[] = [];
  const push: Push = (path, rule, zh, en, value) => errors.push({ file, path, rule, zh, en, value });
  for (const check of [checkGroup, checkBudget, checkPayments, checkSettlement, checkAssessment, checkDistribution, checkSource, checkCostSharing, checkKpis, checkPackage, checkSpecialCases, checkMemberScores]) {
    const before = errors.length;
    try {
      check(raw, push);
    } catch {
      errors.length = before; // malformed input this rule cannot read; the shape errors cover it
    }
  }
  return errors;
}

function checkGroup(raw: RawScenario, push: Push): void {
  const ids = new Set<string>();
  const looks = new Map<string, string>(); // lookalikeKey → the first member id with it
  raw.group.members.forEach((m, i) => {
    const path = `group.members[${i}].id`;
    if (ids.has(m.id)) {
      push(path, 'member.duplicate', `成员单位编码 ${m.id} 重复`, `member id ${m.id} appears twice`, m.id);
    } else if (normalizeCode(m.id) !== m.id) {
      const plain = normalizeCode(m.id);
      push(
        path,
        'member.code',
        `成员单位编码 "${m.id}" 含全角字符、不可见字符或首尾空格，请写作 "${plain}"`,
        `member id "${m.id}" holds full-width, invisible or edge space characters: write "${plain}"`,
        m.id,
      );
    } else if (looks.has(lookalikeKey(m.id))) {
      const other = looks.get(lookalikeKey(m.id)) as string;
      push(
        path,
        'member.lookalike',
        `成员单位编码 ${m.id} 与 ${other} 仅大小写或空格不同，结算明细中无法区分`,
        `member ids ${m.id} and ${other} differ only in case or spaces: claims could not tell them apart`,
        m.id,
      );
    }
    ids.add(m.id);
    if (!looks.has(lookalikeKey(m.id))) looks.set(lookalikeKey(m.id), m.id);
  });
  if (!ids.has(raw.group.lead)) {
    push(
      'group.lead',
      'lead.notMember',
      `牵头医院 ${raw.group.lead} 不是医共体成员单位`,
      `the lead ${raw.group.lead} is not a member of the group`,
      raw.group.lead,
    );
  }
}

function checkBudget(raw: RawScenario, push: Push): void {
  const needs: Record<string, string[]> = {
    fixed: ['amount'],
    perCapita: ['rate'],
    baseYear: ['baseSpend', 'growth'],
    revenue: ['revenue', 'ratio'],
  };
  raw.budget.lines.forEach((line, i) => {
    for (const key of needs[line.basis]) {
      if ((line as Record<string, unknown>)[key] === undefined) {
        push(
          `budget.lines[${i}].${key}`,
          'budget.missingInput',
          `预算行 ${i + 1}（核定方式 ${line.basis}）缺少 ${key}`,
          `budget line ${i + 1} (basis ${line.basis}) needs ${key}`,
        );
      }
    }
    if (line.basis === 'perCapita' && raw.enrollment?.[line.category] === undefined) {
      push(
        `enrollment.${line.category}`,
        'budget.missingEnrollment',
        `预算行 ${i + 1} 按人头核定，但未给出 ${line.category} 参保人数`,
        `budget line ${i + 1} is per capita, but enrollment.${line.category} is not given`,
      );
    }
    if (line.basis === 'baseYear' && line.growth !== undefined && dec(line.growth).lessThan(-1)) {
      push(`budget.lines[${i}].growth`, 'budget.growth', '增长率不能低于 -1', 'growth must not be below -1', line.growth);
    }
  });
  const p = raw.budget.prepayment;
  if (p?.installments !== undefined && dec(p.installments).lessThan(1)) {
    push('budget.prepayment.installments', 'prepayment.installments', '预拨期数至少为 1', 'installments must be at least 1', p.installments);
  } else if (p?.installments !== undefined && dec(p.installments).greaterThan(MAX_INSTALLMENTS)) {
    // Each installment is a row of the journal and the workbook: more than one a day is a typo, not a schedule.
    push(
      'budget.prepayment.installments',
      'prepayment.installments',
      `预拨期数最多 ${MAX_INSTALLMENTS} 期（按日预拨）`,
      `installments must be at most ${MAX_INSTALLMENTS} (one a day)`,
      p.installments,
    );
  }
  if (p?.weights !== undefined) {
    if (p.weights.length === 0) {
      push('budget.prepayment.weights', 'prepayment.weights', '预拨权重不能为空', 'weights must not be empty');
    } else if (p.weights.length > MAX_INSTALLMENTS) {
      push('budget.prepayment.weights', 'prepayment.weights', `预拨权重最多 ${MAX_INSTALLMENTS} 个`, `at most ${MAX_INSTALLMENTS} weights`);
    } else if (p.installments !== undefined && !dec(p.installments).equals(p.weights.length)) {
      push(
        'budget.prepayment.weights',
        'prepayment.weightsCount',
        `预拨权重有 ${p.weights.length} 个，但期数为 ${p.installments}`,
        `there are ${p.weights.length} weights but ${p.installments} installments`,
      );
    }
  }
}

function checkPayments(raw: RawScenario, push: Push): void {
  const pay = raw.payments;
  const memberIds = new Set(raw.group.members.map((m) => m.id));
  const methods = new Set((pay?.rules ?? []).map((r) => r.method));
  const needParams: Array<[string, unknown, string]> = [
    ['drg', pay?.drg, 'payments.drg'],
    ['dip', pay?.dip, 'payments.dip'],
    ['perDiem', pay?.perDiem, 'payments.perDiem'],
    ['singleDisease', pay?.singleDisease, 'payments.singleDisease'],
  ];
  for (const [method, params, path] of needParams) {
    if (methods.has(method as never) && params === undefined) {
      const i = (pay?.rules ?? []).findIndex((r) => r.method === method);
      push(
        `payments.rules[${i}].method`,
        'payments.missingParams',
        `支付规则使用 ${method}，但未配置 ${path}`,
        `a payment rule uses ${method}, but ${path} is not given`,
        method,
      );
    }
  }
  if (pay?.drg && pay.drg.weights === undefined && pay.drg.weightsFile === undefined) {
    push('payments.drg.weights', 'drg.noWeights', 'DRG 需要 weights 或 weightsFile', 'DRG needs weights or weightsFile');
  }
  if (pay?.drg?.weights !== undefined && pay.drg.weightsFile !== undefined) {
    push('payments.drg.weightsFile', 'drg.twoTables', 'weights 与 weightsFile 只能给一个', 'give weights or weightsFile, not both');
  }
  if (pay?.dip) {
    if (pay.dip.groups === undefined && pay.dip.groupsFile === undefined) {
      push('payments.dip.groups', 'dip.noGroups', 'DIP 需要 groups 或 groupsFile', 'DIP needs groups or groupsFile');
    }
    if (pay.dip.groups !== undefined && pay.dip.groupsFile !== undefined) {
      push('payments.dip.groupsFile', 'dip.twoTables', 'groups 与 groupsFile 只能给一个', 'give groups or groupsFile, not both');
    }
    if (pay.dip.pointValue === undefined && pay.dip.pool === undefined) {
      push(
        'payments.dip.pointValue',
        'dip.noPointValue',
        'DIP 需要预算点值 pointValue 或用于计算结算点值的 pool',
        'DIP needs a budget pointValue or a pool to derive the settlement point value',
      );
    }
    if (pay.dip.pool !== undefined && dec(pay.dip.pool.reimbursementRatio).isZero()) {
      push('payments.dip.pool.reimbursementRatio', 'dip.ratioZero', '报销比例不能为 0', 'reimbursementRatio must not be 0', '0');
    }
  }
  if (pay?.perDiem && methods.has('perDiem')) {
    const r = pay.perDiem.rates;
    if (r.default === undefined) {
      for (const t of ['county', 'township', 'village'] as const) {
        if (r[t] === undefined && raw.group.members.some((m) => m.tier === t)) {
          push(
            `payments.perDiem.rates.${t}`,
            'perDiem.missingRate',
            `按床日付费缺少 ${t} 级费率（或 default）`,
            `per-diem has no rate for tier ${t} and no default`,
          );
        }
      }
    }
  }
  const seen = new Set<string>();
  (pay?.capitation?.contracted ?? []).forEach((c, i) => {
    if (!memberIds.has(c.institution)) {
      push(
        `payments.capitation.contracted[${i}].institution`,
        'capitation.notMember',
        `按人头签约机构 ${c.institution} 不是医共体成员单位`,
        `capitation contract names ${c.institution}, which is not a member`,
        c.institution,
      );
    }
    if (seen.has(c.institution)) {
      push(
        `payments.capitation.contracted[${i}].institution`,
        'capitation.duplicate',
        `机构 ${c.institution} 有两份按人头签约`,
        `${c.institution} has two capitation contracts`,
        c.institution,
      );
    }
    seen.add(c.institution);
  });
}

function checkBands(bands: ReadonlyArray<{ upTo?: string }>, path: string, push: Push): void {
  let prev: string | undefined;
  bands.forEach((b, i) => {
    const last = i === bands.length - 1;
    if (!last && b.upTo === undefined) {
      push(`${path}[${i}].upTo`, 'bands.missingUpTo', `第 ${i + 1} 档缺少 upTo（只有最后一档可以省略）`, `band ${i + 1} needs upTo (only the last band may omit it)`);
    }
    if (last && b.upTo !== undefined) {
      push(`${path}[${i}].upTo`, 'bands.lastUpTo', '最后一档不应有 upTo（它覆盖其余所有部分）', 'the last band must have no upTo (it covers everything above)', b.upTo);
    }
    if (b.upTo !== undefined) {
      if (prev !== undefined && !dec(b.upTo).greaterThan(dec(prev))) {
        push(`${path}[${i}].upTo`, 'bands.notIncreasing', `各档 upTo 必须递增：${b.upTo} 不大于上一档 ${prev}`, `band upTo values must increase: ${b.upTo} is not above ${prev}`, b.upTo);
      }
      prev = b.upTo;
    }
  });
}

function checkSettlement(raw: RawScenario, push: Push): void {
  const s = raw.settlement;
  if (s?.surplus) checkBands(s.surplus.bands, 'settlement.surplus.bands', push);
  if (s?.overrun) checkBands(s.overrun.bands, 'settlement.overrun.bands', push);
}

function checkAssessment(raw: RawScenario, push: Push): void {
  const a = raw.assessment;
  if (a?.score !== undefined) {
    const v = dec(a.score);
    if (v.lessThan(0) || v.greaterThan(100)) push('assessment.score', 'score.range', '考核得分应在 0 到 100 之间', 'the assessment score must be between 0 and 100', a.score);
  }
  const pts = a?.depositReturn ?? [];
  pts.forEach((p, i) => {
    if (i === 0) return;
    const prev = pts[i - 1];
    if (!dec(p.score).greaterThan(dec(prev.score))) {
      push(`assessment.depositReturn[${i}].score`, 'deposit.scoreOrder', '保证金返还曲线的分数必须递增', 'depositReturn scores must increase', p.score);
    }
    if (dec(p.fraction).lessThan(dec(prev.fraction))) {
      push(
        `assessment.depositReturn[${i}].fraction`,
        'deposit.fractionOrder',
        '保证金返还比例不能随得分升高而下降',
        'depositReturn fractions must not decrease as the score rises',
        p.fraction,
      );
    }
  });
}

function checkDistribution(raw: RawScenario, push: Push): void {
  const shares = raw.distribution?.tierShares;
  if (shares) {
    const tiersWithMembers = new Set(raw.group.members.map((m) => m.tier));
    const positive = (['county', 'township', 'village'] as const).some((t) => tiersWithMembers.has(t) && dec(shares[t] ?? '0').greaterThan(0));
    if (!positive) {
      push('distribution.tierShares', 'tierShares.none', '有成员的层级中，至少一个层级的分配比例须大于 0', 'at least one tier that has members needs a share above 0');
    }
  }
}

function checkSource(raw: RawScenario, push: Push): void {
  if (raw.claims === undefined && raw.actuals === undefined) {
    push('claims', 'source.none', '需要 claims（结算明细文件）或 actuals（汇总数）', 'give claims (claims files) or actuals (aggregate figures)');
  }
  if (raw.claims !== undefined && raw.actuals !== undefined) {
    push('actuals', 'source.both', 'claims 与 actuals 只能给一个', 'give claims or actuals, not both');
  }
  const a = raw.actuals;
  if (a?.outOfGroupOutOfRegion !== undefined && dec(a.outOfGroupOutOfRegion).greaterThan(dec(a.outOfGroupDeductions))) {
    push('actuals.outOfGroupOutOfRegion', 'actuals.split', '异地部分不能大于医共体外扣减总额', 'the out-of-region part cannot exceed the deductions', a.outOfGroupOutOfRegion);
  }
}

const LOCATION_KEYS = ['county', 'township', 'village', 'inRegion', 'outOfRegion'] as const;
const SETTING_ZH = { inpatient: '住院', outpatient: '门诊' } as const;

/** 待遇政策: rules given at all must cover both settings and every location's ratio; recompute needs claims. */
function checkCostSharing(raw: RawScenario, push: Push): void {
  const cs = raw.costSharing;
  if (cs === undefined) return;
  const recompute = cs.mode === 'recompute';
  const hasRules = cs.inpatient !== undefined || cs.outpatient !== undefined || cs.categories !== undefined || cs.annualCap !== undefined;
  if (recompute && raw.actuals !== undefined) {
    push(
      'costSharing.mode',
      'costSharing.recomputeNeedsClaims',
      '按待遇政策重算（recompute）需要结算明细（claims），汇总数（actuals）模式下无法重算',
      'recompute derives fund_paid from the claims; it cannot be used with aggregate actuals',
      'recompute',
    );
  }
  if (recompute || hasRules) {
    for (const setting of ['inpatient', 'outpatient'] as const) {
      const block = cs[setting];
      if (block === undefined) {
        push(
          `costSharing.${setting}`,
          'costSharing.missingSetting',
          `待遇政策缺少${SETTING_ZH[setting]}规则 costSharing.${setting}（起付线 deductible、支付比例 ratio）`,
          `cost sharing needs costSharing.${setting} (deductible and ratio)`,
        );
        continue;
      }
      for (const loc of LOCATION_KEYS) {
        if (block.ratio?.[loc] === undefined) {
          push(
            `costSharing.${setting}.ratio.${loc}`,
            'costSharing.missingRatio',
            `待遇政策缺少${SETTING_ZH[setting]}在 ${loc} 的支付比例`,
            `cost sharing has no ${setting} reimbursement ratio for ${loc}`,
          );
        }
      }
    }
  }
  if (cs.unreferredPenalty !== undefined && dec(cs.unreferredPenalty).greaterThan(100)) {
    push(
      'costSharing.unreferredPenalty',
      'costSharing.penaltyRange',
      '未按规定转诊降低的支付比例应为 0 到 100 个百分点',
      'the unreferred penalty is in ratio points and must be between 0 and 100',
      cs.unreferredPenalty,
    );
  }
}

const GROWTH_NEEDS: Readonly<Record<string, ReadonlyArray<'referralsUp' | 'referralsDown'>>> = {
  referralsUpGrowth: ['referralsUp'],
  referralsDownGrowth: ['referralsDown'],
  referralsGrowth: ['referralsUp', 'referralsDown'],
};

/** 考核指标 and the score from them: weights sum to 100, every weighted indicator has a target and a value source. */
function checkKpis(raw: RawScenario, push: Push): void {
  const k = raw.kpis;
  const aggregate = raw.actuals !== undefined;
  if (k?.actuals !== undefined && !aggregate) {
    push(
      'kpis.actuals',
      'kpis.actualsWithClaims',
      '指标值 kpis.actuals 只用于汇总数（actuals）模式；有结算明细时指标由明细计算',
      'kpis.actuals is for aggregate mode only; with claims the indicators are counted from the claims',
    );
  }
  const from = raw.assessment?.fromKpis;
  if (from === undefined) return;
  const known = new Set<string>(KPI_IDS); // unknown ids are reported by the schema
  const entries = Object.entries(from).filter(([id, v]) => v !== undefined && known.has(id)) as Array<[string, { weight: string; target?: string }]>;
  if (entries.length === 0) {
    push('assessment.fromKpis', 'fromKpis.empty', 'assessment.fromKpis 至少需要一个指标', 'assessment.fromKpis needs at least one indicator');
    return;
  }
  let sum = dec(0);
  for (const [, v] of entries) sum = sum.plus(dec(v.weight));
  if (!sum.equals(100)) {
    push(
      'assessment.fromKpis',
      'fromKpis.weightSum',
      `各指标权重之和应为 100，现为 ${sum.toFixed()}`,
      `the indicator weights must add up to 100, not ${sum.toFixed()}`,
      sum.toFixed(),
    );
  }
  const scoreGiven = raw.assessment?.score !== undefined;
  for (const [id, v] of entries) {
    const targets = k?.targets as Record<string, string | undefined> | undefined;
    if (v.target === undefined && targets?.[id] === undefined) {
      push(
        `assessment.fromKpis.${id}.target`,
        'fromKpis.noTarget',
        `指标 ${id} 缺少目标值（在 assessment.fromKpis.${id}.target 或 kpis.targets.${id} 中给出）`,
        `indicator ${id} has no target (give assessment.fromKpis.${id}.target or kpis.targets.${id})`,
      );
    }
    if (scoreGiven) continue; // an explicit score overrides: the indicators are shown, not needed
    if (aggregate) {
      const actuals = k?.actuals as Record<string, string | undefined> | undefined;
      if (id !== 'outOfGroupSpendPerEnrollee' && actuals?.[id] === undefined) {
        push(
          `kpis.actuals.${id}`,
          'fromKpis.noActual',
          `汇总数模式下无法由明细计算指标 ${id}：请在 kpis.actuals.${id} 中给出指标值，或直接给出 assessment.score`,
          `in aggregate mode indicator ${id} cannot be counted from claims: give kpis.actuals.${id}, or assessment.score`,
        );
      }
    } else {
      for (const need of GROWTH_NEEDS[id] ?? []) {
        if (k?.priorYear?.[need] === undefined) {
          push(
            `kpis.priorYear.${need}`,
            'fromKpis.noPriorYear',
            `指标 ${id} 需要上年转诊人次 kpis.priorYear.${need}`,
            `indicator ${id} needs the prior year's count kpis.priorYear.${need}`,
          );
        }
      }
    }
  }
}

/** 打包基金 (§13.1): each fund at most once. */
function checkPackage(raw: RawScenario, push: Push): void {
  const funds = raw.package?.funds ?? [];
  const seen = new Set<string>();
  funds.forEach((f, i) => {
    if (seen.has(f)) push(`package.funds[${i}]`, 'package.duplicateFund', `打包基金 ${f} 重复列出`, `package fund ${f} is listed twice`, f);
    seen.add(f);
  });
}

/** 特例单议 (§13.2): the list names claims, so it needs claims files. */
function checkSpecialCases(raw: RawScenario, push: Push): void {
  if (raw.specialCases !== undefined && raw.actuals !== undefined) {
    push(
      'specialCases',
      'specialCases.needsClaims',
      '特例单议清单 specialCases 需要结算明细（claims），汇总数（actuals）模式下无法使用',
      'specialCases names claims; it cannot be used with aggregate actuals',
    );
  }
}

/** 成员单位考核 (§13.3): scores of members only, each 0–100. */
function checkMemberScores(raw: RawScenario, push: Push): void {
  const scores = raw.distribution?.memberScores;
  if (scores === undefined) return;
  const ids = new Set(raw.group.members.map((m) => m.id));
  for (const [id, score] of Object.entries(scores)) {
    const path = `distribution.memberScores.${id}`;
    if (!ids.has(id)) {
      push(path, 'memberScores.notMember', `成员单位考核得分中的 ${id} 不是医共体成员单位`, `memberScores names ${id}, which is not a member`, id);
    }
    const v = dec(score);
    if (v.lessThan(0) || v.greaterThan(100)) {
      push(path, 'memberScores.range', `成员单位 ${id} 的考核得分应在 0 到 100 之间`, `the score of member ${id} must be between 0 and 100`, score);
    }
  }
}

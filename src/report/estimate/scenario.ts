// `budget --scenario OUT.yaml`: the estimate as scenario keys (DOMAIN.md §9), ready to paste into a scenario or to
// `extends:` from. The total becomes one `fixed` budget line of exactly the estimated amount (a `baseYear` line would
// round its own product and could differ by a fen); the standards become `payments.capitation`: `rate` is the first
// standard's, and every contracted institution named in the history gets its standard's rate. Comments show where
// each figure came from. Values are quoted decimal text, so they are read back exactly.
import { formatFen, formatFenGrouped } from '../../domain/money.js';
import type { BudgetEstimate, EstimateInputFile } from '../../budget/types.js';
import { L, METHOD_LABEL } from './labels.js';

const q = (s: string): string => JSON.stringify(s); // a YAML double-quoted scalar

export function estimateToScenarioYaml(e: BudgetEstimate, inputs: readonly EstimateInputFile[]): string {
  const out: string[] = [
    `# ${e.year} 年度总额与人头费测算，由 yibao budget 生成；可直接粘贴进场景文件，或在场景中写 extends: 本文件`,
    `# Budget estimate for ${e.year}, written by yibao budget: paste into a scenario, or write \`extends: <this file>\` in one.`,
    ...inputs.map((f) => `#   ${f.role}${f.year === undefined ? '' : ` ${f.year}`}: ${f.file} (sha256 ${f.sha256})`),
    `year: ${e.year}`,
  ];
  const t = e.total;
  if (t !== undefined) {
    out.push(
      'budget:',
      '  lines:',
      `    # ${L.amount.zh} ${L.amount.en} = ${L.base.zh} base ${t.base.mean.toDisplay(4)} × ${t.input.reimbursementRatio.text} × (1 + ${t.growth.toExactText(30) ?? t.growth.toDisplay(12)}) = ${formatFenGrouped(t.amount)}`,
      `    - { category: ${t.input.category}, fund: ${t.input.fund}, basis: fixed, amount: ${q(formatFen(t.amount))} }`,
    );
  }
  if (e.standards.length > 0) {
    const first = e.standards[0];
    out.push('payments:', '  capitation:');
    for (const s of e.standards) {
      const addOns = s.input.addOns.map((a) => ` + ${a.name} ${formatFen(a.amount)}`).join('');
      out.push(`    # ${s.input.name}（${METHOD_LABEL[s.method].zh} ${METHOD_LABEL[s.method].en}）: M ${formatFen(s.m)}${addOns} = ${L.standard.zh} ${formatFen(s.standard)}`);
    }
    out.push(`    rate: ${q(formatFen(first.standard))}   # ${first.input.name}`);
    const contracts = e.standards.flatMap((s) => s.input.contracted.map((c) => ({ c, s })));
    if (contracts.length === 0) out.push('    contracted: []   # 签约机构与人数 contracted institutions: list them here or in the extending scenario');
    else {
      out.push('    contracted:');
      for (const { c, s } of contracts) {
        out.push(`      - { institution: ${q(c.institution)}, enrollees: ${c.enrollees}, rate: ${q(formatFen(s.standard))} }   # ${s.input.name}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

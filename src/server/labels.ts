// Bilingual labels of the figures the pages and CSV downloads show (GLOSSARY.md terms, 中文 first). The book's figures
// come from the workbook's label module, so a figure is called the same on a page, in a CSV and in the workbook.
import { CARRY_FORWARD_LABEL, MONTH_FIGURE_LABEL, SETTLEMENT_FIGURE_LABEL } from '../report/workbook/labels.js';
export interface Label {
  readonly zh: string;
  readonly en: string;
}

const label = ([zh, en]: readonly [string, string]): Label => ({ zh, en });
const labels = <K extends string>(source: Readonly<Record<K, readonly [string, string]>>): Readonly<Record<K, Label>> =>
  Object.fromEntries(Object.entries<readonly [string, string]>(source).map(([k, v]) => [k, label(v)])) as Record<K, Label>;

/** §12.8 months[] money figures, in the order the 月度 page and months.csv show them (the workbook's one source). */
export const MONTH_FIGURES = labels(MONTH_FIGURE_LABEL);

/** §8 settlement figures of a clearing, with Σ paid (the workbook's one source). */
export const SETTLEMENT_LABELS = labels(SETTLEMENT_FIGURE_LABEL);

export const CARRY_FORWARD_LABELS = labels(CARRY_FORWARD_LABEL);

export const MEMBER_CLEARING_LABELS = {
  total: { zh: '应得总额', en: 'total' },
  paid: { zh: '已按月拨付', en: 'paid monthly' },
  clearing: { zh: '清算拨付', en: 'clearing payment' },
} as const satisfies Record<string, Label>;

/** The waterfall B → T → Y (GLOSSARY terms; the clearing figures from the one source above). */
export const WATERFALL_LABELS = {
  budget: { zh: '年度总额预算 B', en: 'budget' },
  riskReserve: { zh: '风险金 R', en: 'risk reserve' },
  outOfGroup: label(MONTH_FIGURE_LABEL.outOfGroupDeductions),
  returned: SETTLEMENT_LABELS.surplusReturnedToFund,
  fundShare: SETTLEMENT_LABELS.fundOverrunShare,
  forfeited: SETTLEMENT_LABELS.depositForfeited,
  groupTotal: SETTLEMENT_LABELS.groupTotal,
  paid: SETTLEMENT_LABELS.paid,
  yearEnd: SETTLEMENT_LABELS.yearEndPayment,
} as const satisfies Record<string, Label>;

export const both = (l: Label): string => `${l.zh} ${l.en}`;

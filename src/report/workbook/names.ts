// Worksheet names (≤ 31 characters, no []:*?/\) and CSV file names, in workbook order.
export const SHEET = {
  summary: '汇总 Summary',
  budget: '预算 Budget',
  prepayments: '预拨 Prepayments',
  outOfGroup: '外转扣减 Out-of-group',
  outOfGroupAnalysis: '外转分析 Out-of-group analysis',
  funds: '打包基金 Packaged funds',
  specialCases: '特例单议 Special cases',
  members: '机构 Members',
  methods: '支付方式 Payment methods',
  kpis: '考核指标 Indicators',
  costSharing: '待遇重算 Cost sharing',
  claims: '明细 Claims',
  journal: '分录 Journal',
  checks: '校验 Checks',
  parameters: '参数 Parameters',
} as const;

/** The name of the n-th claim-detail sheet (1-based): '明细 Claims', '明细 Claims (2)', … */
export const claimSheetName = (n: number): string => (n === 1 ? SHEET.claims : `${SHEET.claims} (${n})`);

export const CSV = {
  summary: 'summary.csv',
  budget: 'budget.csv',
  prepayments: 'prepayments.csv',
  outOfGroup: 'out-of-group.csv',
  outOfGroupAnalysis: 'out-of-group-analysis.csv',
  funds: 'funds.csv',
  specialCases: 'special-cases.csv',
  members: 'members.csv',
  methods: 'payment-methods.csv',
  kpis: 'kpis.csv',
  costSharing: 'cost-sharing.csv',
  claims: 'claims.csv',
  journal: 'journal.csv',
  checks: 'checks.csv',
  parameters: 'parameters.csv',
} as const;

export function sheetTitle(sheet: string, scenario: { readonly name: string; readonly year: number; readonly groupId: string }): string {
  return `${sheet} — ${scenario.name}（${scenario.year}）· 医共体 group ${scenario.groupId}`;
}

/** The book workbook's own sheets (`book status --xlsx`); the clearing's sheets keep the names above. */
export const BOOK_SHEET = {
  monthly: '月度预结算 Monthly',
  monthlyByMember: '月度拨付 Paid by member',
  clearing: '年终清算 Clearing',
  supplements: '补充清算 Supplements',
  journal: SHEET.journal,
  batches: '批次 Batches',
} as const;

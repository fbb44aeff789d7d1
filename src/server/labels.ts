// Bilingual labels of the figures the pages and CSV downloads show (one source; GLOSSARY.md terms, 中文 first).
export interface Label {
  readonly zh: string;
  readonly en: string;
}

/** §12.8 months[] money figures, in the order the 月度 page and months.csv show them. */
export const MONTH_FIGURES = {
  installment: { zh: '预拨额 I', en: 'installment' },
  inGroupLiability: { zh: '医共体内支付责任 L', en: 'in-group liability' },
  capitation: { zh: '人头费 C', en: 'capitation' },
  outOfGroupDeductions: { zh: '医共体外费用 D', en: 'out-of-group' },
  workload: { zh: '工作量 W', en: 'workload' },
  due: { zh: '应拨额', en: 'due' },
  room: { zh: '预算空间 K', en: 'room' },
  paid: { zh: '实拨额', en: 'paid' },
  withheld: { zh: '预留额', en: 'withheld' },
} as const satisfies Record<string, Label>;

/** §8 settlement figures of a clearing. */
export const SETTLEMENT_LABELS = {
  available: { zh: '可用额 A', en: 'available' },
  balance: { zh: '结余（超支）X', en: 'balance' },
  retainedSurplus: { zh: '结余留用 S', en: 'retained surplus' },
  surplusReturnedToFund: { zh: '结余返还基金', en: 'surplus returned to the fund' },
  fundOverrunShare: { zh: '基金分担超支 F', en: "fund's overrun share" },
  groupOverrunLiability: { zh: '医共体承担超支 G', en: "group's overrun share" },
  depositReturned: { zh: '返还质量保证金', en: 'deposit returned' },
  depositForfeited: { zh: '扣除质量保证金 Qf', en: 'deposit forfeited' },
  groupTotal: { zh: '医共体应得总额 T', en: 'group total' },
  yearEndPayment: { zh: '年终清算拨付 Y', en: 'year-end payment' },
  fundRetained: { zh: '基金留存', en: 'fund retained' },
  paid: { zh: '已按月拨付', en: 'paid monthly' },
} as const satisfies Record<string, Label>;

export const CARRY_FORWARD_LABELS = {
  opening: { zh: '上年结转', en: 'opening' },
  added: { zh: '本年提取', en: 'added' },
  used: { zh: '本年使用', en: 'used' },
  closing: { zh: '年末结转', en: 'closing' },
} as const satisfies Record<string, Label>;

export const MEMBER_CLEARING_LABELS = {
  total: { zh: '应得总额', en: 'total' },
  paid: { zh: '已按月拨付', en: 'paid monthly' },
  clearing: { zh: '清算拨付', en: 'clearing payment' },
} as const satisfies Record<string, Label>;

export const WATERFALL_LABELS = {
  budget: { zh: '预算总额 B', en: 'budget' },
  riskReserve: { zh: '风险调剂金 R', en: 'risk reserve' },
  outOfGroup: { zh: '医共体外费用 D', en: 'out-of-group' },
  returned: { zh: '结余返还基金', en: 'surplus returned' },
  fundShare: { zh: '基金分担超支 F', en: "fund's overrun share" },
  forfeited: { zh: '扣除质保金 Qf', en: 'deposit forfeited' },
  groupTotal: { zh: '医共体应得 T', en: 'group total' },
  paid: { zh: '已按月拨付', en: 'paid monthly' },
  yearEnd: { zh: '年终清算拨付 Y', en: 'year-end payment' },
} as const satisfies Record<string, Label>;

export const both = (l: Label): string => `${l.zh} ${l.en}`;

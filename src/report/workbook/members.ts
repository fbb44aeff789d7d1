// 机构 Members: each member's claims liability, capitation, adjustment, total (a live sum) and incentive pool, the
// grand total (SUM) and the tier subtotals (SUMIF over the tier column).
import type { SettlementResult } from '../../domain/result.js';
import { TIERS } from '../../domain/types.js';
import { TIER_LABEL } from './labels.js';
import { type Row, type SheetModel, absAddr, addr, money, num, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

/** Columns of the money figures: D claims, E capitation, F adjustment, G total, H incentive pool. */
export const MEMBER_COL = { claims: 4, capitation: 5, adjustment: 6, total: 7, incentive: 8, score: 9, scoreEffect: 10 } as const;

export interface MemberAnchors {
  /** Worksheet row of each member id. */
  readonly rowOf: ReadonlyMap<string, number>;
  readonly totalRow: number;
  readonly claimsTotal: string; // = L
  readonly capitationTotal: string; // = C
  readonly memberTotal: string; // Σ member totals
}

export function membersSheet(r: SettlementResult): { model: SheetModel; anchors: MemberAnchors } {
  const ms = r.members;
  const n = ms.length;
  const at = new Map<string, number>();
  const scored = ms.some((m) => m.score !== undefined); // §13.3 columns only when memberScores is given
  const rows: Row[] = ms.map((m, i) => {
    const row = rowOf(i);
    at.set(m.id, row);
    const sums = m.claims + m.capitation + m.adjustment === m.total;
    const c = (k: keyof typeof MEMBER_COL) => addr(MEMBER_COL[k], row);
    return {
      cells: [
        m.id,
        m.name,
        TIER_LABEL[m.tier],
        money(m.claims),
        money(m.capitation),
        money(m.adjustment),
        sums ? money(m.total, `${c('claims')}+${c('capitation')}+${c('adjustment')}`) : money(m.total),
        money(m.incentivePool),
        ...(scored ? [num(m.score?.toFixed() ?? '100', '0.##'), money(m.scoreEffect ?? 0)] : []),
      ],
    };
  });
  const range = (column: number) => `${absAddr(column, rowOf(0))}:${absAddr(column, rowOf(n - 1))}`;
  const sumOf = (column: number) => (n > 0 ? `SUM(${range(column)})` : '0');
  const total = (f: (m: (typeof ms)[number]) => number) => ms.reduce((s, m) => s + f(m), 0);
  const totalI = rows.length;
  rows.push({
    kind: 'total',
    cells: [
      '合计',
      'Total',
      null,
      money(total((m) => m.claims), sumOf(MEMBER_COL.claims)),
      money(total((m) => m.capitation), sumOf(MEMBER_COL.capitation)),
      money(total((m) => m.adjustment), sumOf(MEMBER_COL.adjustment)),
      money(total((m) => m.total), sumOf(MEMBER_COL.total)),
      money(total((m) => m.incentivePool), sumOf(MEMBER_COL.incentive)),
      ...(scored ? [null, money(total((m) => m.scoreEffect ?? 0), sumOf(MEMBER_COL.scoreEffect))] : []),
    ],
  });
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: ['层级小计', 'Tier subtotals'] });
  const firstTierI = rows.length;
  for (const tier of TIERS) {
    const i = rows.length;
    const crit = absAddr(3, rowOf(i));
    const sel = ms.filter((m) => m.tier === tier);
    const sumif = (column: number) => (n > 0 ? `SUMIF(${range(3)},${crit},${range(column)})` : '0');
    const t = (f: (m: (typeof ms)[number]) => number) => sel.reduce((s, m) => s + f(m), 0);
    rows.push({
      kind: 'subtotal',
      cells: [
        '小计',
        `Subtotal (${sel.length})`,
        TIER_LABEL[tier],
        money(t((m) => m.claims), sumif(MEMBER_COL.claims)),
        money(t((m) => m.capitation), sumif(MEMBER_COL.capitation)),
        money(t((m) => m.adjustment), sumif(MEMBER_COL.adjustment)),
        money(t((m) => m.total), sumif(MEMBER_COL.total)),
        money(t((m) => m.incentivePool), sumif(MEMBER_COL.incentive)),
      ],
    });
  }
  const lastTierI = rows.length - 1;
  const tierSum = (column: number) => `SUM(${addr(column, rowOf(firstTierI))}:${addr(column, rowOf(lastTierI))})`;
  rows.push({
    kind: 'total',
    cells: [
      '层级合计',
      'Total of tiers',
      null,
      money(total((m) => m.claims), tierSum(MEMBER_COL.claims)),
      money(total((m) => m.capitation), tierSum(MEMBER_COL.capitation)),
      money(total((m) => m.adjustment), tierSum(MEMBER_COL.adjustment)),
      money(total((m) => m.total), tierSum(MEMBER_COL.total)),
      money(total((m) => m.incentivePool), tierSum(MEMBER_COL.incentive)),
    ],
  });
  const totalRow = rowOf(totalI);
  return {
    model: {
      name: SHEET.members,
      csv: CSV.members,
      title: sheetTitle(SHEET.members, r.scenario),
      columns: [
        { zh: '机构编码', en: 'Member ID' },
        { zh: '机构名称', en: 'Name' },
        { zh: '层级', en: 'Tier' },
        { zh: '医疗费用（统筹支付）', en: 'Claims liability' },
        { zh: '按人头付费', en: 'Capitation' },
        { zh: '分配调整', en: 'Adjustment' },
        { zh: '合计', en: 'Total' },
        { zh: '奖励性绩效', en: 'Incentive pool' },
        ...(scored
          ? [
              { zh: '成员考核得分', en: 'Member score' },
              { zh: '得分影响（调整额）', en: 'Score effect on adjustment' },
            ]
          : []),
      ],
      rows,
      filterRows: n,
    },
    anchors: {
      rowOf: at,
      totalRow,
      claimsTotal: addr(MEMBER_COL.claims, totalRow),
      capitationTotal: addr(MEMBER_COL.capitation, totalRow),
      memberTotal: addr(MEMBER_COL.total, totalRow),
    },
  };
}

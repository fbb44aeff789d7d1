// A past year's figures summed from its claims (`budget --claims YEAR=FILE`), as the importer streams them:
//   fund spend      = Σ fund_paid of every row (统筹基金支付; the group's population, in and out of the group;
//                     reversal rows (冲销) count with their negative amounts, so a reversed claim nets to nothing)
//   per contract type (签约类型, column contract_type): Σ total_cost, Σ patient_paid, and the contracted persons
//                     (distinct patient_id of its rows that are not reversals).
// Rows dated outside the year are errors (DOMAIN.md §12.1), never silently counted.
import type { Fen } from '../domain/money.js';
import type { Claim, InputError } from '../domain/types.js';

export interface ContractTypeSums {
  readonly totalCost: Fen;
  readonly selfPay: Fen;
  readonly persons: number;
}

export interface ClaimsYear {
  readonly year: number;
  readonly file: string;
  readonly rows: number;
  readonly fundSpend: Fen;
  readonly byType: ReadonlyMap<string, ContractTypeSums>;
}

export class ClaimsYearSummer {
  private fundSpend = 0;
  private rows = 0;
  private readonly types = new Map<string, { totalCost: number; selfPay: number; persons: Set<string> }>();
  readonly errors: InputError[] = [];

  constructor(
    readonly year: number,
    readonly file: string,
  ) {}

  add(c: Claim, at: { readonly file: string; readonly row: number }): void {
    this.rows++;
    if (c.serviceDate.slice(0, 4) !== String(this.year)) {
      this.errors.push({
        file: at.file,
        row: at.row,
        column: 'service_date',
        value: c.serviceDate,
        rule: 'date.outsideYear',
        zh: `结算日期 ${c.serviceDate} 不在 ${this.year} 年内（该文件按 --claims ${this.year}=… 计入 ${this.year} 年）`,
        en: `service_date ${c.serviceDate} is outside ${this.year} (the file is counted as ${this.year} by --claims ${this.year}=…)`,
      });
      return;
    }
    this.fundSpend = checkedAdd(this.fundSpend, c.fundPaid);
    const type = c.contractType ?? '';
    if (type === '') return;
    let t = this.types.get(type);
    if (t === undefined) {
      t = { totalCost: 0, selfPay: 0, persons: new Set() };
      this.types.set(type, t);
    }
    t.totalCost = checkedAdd(t.totalCost, c.totalCost);
    t.selfPay = checkedAdd(t.selfPay, c.patientPaid);
    if (c.reverses === '') t.persons.add(c.patientId);
  }

  finish(): ClaimsYear {
    const byType = new Map<string, ContractTypeSums>();
    for (const k of [...this.types.keys()].sort()) {
      const t = this.types.get(k)!;
      byType.set(k, { totalCost: t.totalCost, selfPay: t.selfPay, persons: t.persons.size });
    }
    return { year: this.year, file: this.file, rows: this.rows, fundSpend: this.fundSpend, byType };
  }
}

/** Sums of fen stay exact integers; beyond the safe range is a stop, never an inexact total. */
function checkedAdd(a: Fen, b: Fen): Fen {
  const s = a + b;
  if (!Number.isSafeInteger(s)) throw new Error(`sum out of exact range: ${a} + ${b} fen`);
  return s;
}

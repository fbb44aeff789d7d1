// 特例单议清单 (DOMAIN.md §13.2): the file named by `specialCases.file`, CSV (UTF-8 or GB18030) or XLSX, with the
// columns claim_id (结算单据号), agreed_amount (核定金额) and optionally reason (原因). Row checks here (ids present and
// unique, amounts yuan ≥ 0 with at most two decimals); the checks against the claims (known, in-group, method,
// quota) are the aggregator's (domain/specialCases.ts), since they need the claims.
import { createHash } from 'node:crypto';
import { readCsv, type ReadContext, type TableSink } from '../claims/csv.js';
import { normalizeHeader } from '../claims/columns.js';
import { parseFen } from '../claims/fields.js';
import { readXlsx } from '../claims/xlsx.js';
import type { InputError, SpecialCase, SpecialCaseList } from '../domain/types.js';

type SpecialColumn = 'claim_id' | 'agreed_amount' | 'reason';

const HEADERS: Readonly<Record<SpecialColumn, readonly string[]>> = {
  claim_id: ['claim_id', '结算单据号', '结算ID', '结算编号', '单据号'],
  agreed_amount: ['agreed_amount', '核定金额', '特例核定金额', '评议核定金额', '核定支付金额'],
  reason: ['reason', '原因', '特例原因', '申请原因'],
};
const ZH: Readonly<Record<SpecialColumn, string>> = { claim_id: '结算单据号', agreed_amount: '核定金额', reason: '原因' };
const HEADER_OF = new Map<string, SpecialColumn>(
  (Object.entries(HEADERS) as Array<[SpecialColumn, readonly string[]]>).flatMap(([col, names]) => names.map((n) => [normalizeHeader(n), col] as const)),
);

const label = (col: SpecialColumn) => `${col} (${ZH[col]})`;

export interface SpecialCaseFileResult {
  readonly list?: SpecialCaseList;
  readonly errors: readonly InputError[];
}

/** Reads and checks a special-case list; `shown` is the path as written (for messages and the input hash). */
export async function readSpecialCaseFile(path: string, shown: string): Promise<SpecialCaseFileResult> {
  const errors: InputError[] = [];
  const hash = createHash('sha256');
  const ctx: ReadContext = { file: shown, errors: { add: (e) => errors.push(e) }, hash, onBytes: () => undefined };
  const cases = new Map<string, SpecialCase>();
  let index: Record<SpecialColumn, number> | undefined;
  const at = (row: number, col: SpecialColumn, value: string) => ({ file: shown, row, column: label(col), value });
  const sink: TableSink = {
    header(cells, row) {
      const found: Partial<Record<SpecialColumn, number>> = {};
      cells.forEach((c, i) => {
        const col = HEADER_OF.get(normalizeHeader(c.trim()));
        if (col !== undefined && found[col] === undefined) found[col] = i;
      });
      for (const col of ['claim_id', 'agreed_amount'] as const) {
        if (found[col] === undefined) {
          errors.push({
            file: shown,
            row,
            column: col,
            rule: 'specialCases.missingColumn',
            zh: `特例单议清单缺少列 ${col}（${ZH[col]}）`,
            en: `the special-case list has no column ${col} (${ZH[col]})`,
          });
        }
      }
      if (found.claim_id === undefined || found.agreed_amount === undefined) return false;
      index = { claim_id: found.claim_id, agreed_amount: found.agreed_amount, reason: found.reason ?? -1 };
      return true;
    },
    row(cells, row) {
      const ix = index!;
      const cell = (i: number) => (i < 0 ? '' : (cells[i] ?? '').trim());
      const claimId = cell(ix.claim_id);
      const amountText = cell(ix.agreed_amount);
      if (claimId === '' && amountText === '' && cell(ix.reason) === '') return; // a blank row
      let ok = true;
      if (claimId === '') {
        ok = false;
        errors.push({ ...at(row, 'claim_id', ''), rule: 'specialCases.noClaimId', zh: '结算单据号为空', en: 'the claim id is empty' });
      }
      const agreed = amountText === '' ? NaN : parseFen(amountText);
      if (Number.isNaN(agreed) || agreed < 0) {
        ok = false;
        errors.push({
          ...at(row, 'agreed_amount', amountText),
          rule: 'specialCases.amount',
          zh: `核定金额 "${amountText}" 应为不小于 0、至多两位小数的金额（元）`,
          en: `agreed amount "${amountText}" must be yuan ≥ 0 with at most two decimals`,
        });
      }
      const first = cases.get(claimId);
      if (claimId !== '' && first !== undefined) {
        ok = false;
        errors.push({
          ...at(row, 'claim_id', claimId),
          rule: 'specialCases.duplicate',
          zh: `结算单据号 ${claimId} 在特例单议清单中重复（首次出现在第 ${first.row} 行）`,
          en: `claim ${claimId} is listed twice (first on row ${first.row})`,
        });
      }
      if (ok) cases.set(claimId, { claimId, agreed, reason: cell(ix.reason), row });
    },
  };
  const lower = path.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) await readXlsx(path, {}, ctx, sink);
  else await readCsv(path, 'auto', ctx, sink);
  if (index === undefined && errors.length === 0) {
    errors.push({ file: shown, rule: 'specialCases.empty', zh: '特例单议清单没有表头', en: 'the special-case list has no header row' });
  }
  if (errors.length > 0) return { errors };
  return { list: { file: shown, sha256: hash.digest('hex'), cases }, errors };
}

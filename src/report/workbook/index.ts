// The auditor's Excel workbook (审计工作簿): ten sheets (twelve with indicators and cost sharing) from the statement down to every claim, written with
// exceljs's streaming writer to a temporary file beside the target and renamed only on success.
import ExcelJS from 'exceljs';
import type { SettlementResult } from '../../domain/result.js';
import { writeAtomically } from '../../io/atomic.js';
import type { PricedClaimScanner } from '../spool.js';
import { budgetSheet } from './budget.js';
import { type CheckAnchors, checksSheet } from './checks.js';
import { DEFAULT_CLAIM_ROWS_PER_SHEET, writeClaimSheets } from './claims.js';
import { journalSheet } from './journal.js';
import { costSharingSheet, kpisSheet } from './kpis.js';
import { membersSheet } from './members.js';
import { methodsSheet } from './methods.js';
import type { SheetModel } from './model.js';
import { outOfGroupSheet } from './out-of-group.js';
import { fundsSheet, outOfGroupAnalysisSheet } from './funds.js';
import { specialCasesSheet } from './special-cases.js';
import { parametersSheet } from './parameters.js';
import { prepaymentsSheet } from './prepayments.js';
import { renderSheet } from './render.js';
import { summarySheet } from './summary.js';

export { DEFAULT_CLAIM_ROWS_PER_SHEET } from './claims.js';
export { SHEET, claimSheetName } from './names.js';
export type { PricedClaimScanner } from '../spool.js';


export interface WorkbookInput {
  readonly result: SettlementResult;
  /** The scenario as settled, a plain JSON-like object; every key path → value goes on the Parameters sheet. */
  readonly scenarioObject: unknown;
  readonly engineVersion: string;
  /** Streams every in-group claim priced; absent in aggregate mode. */
  readonly scanPricedClaims?: PricedClaimScanner;
}

export interface WorkbookOptions {
  /** Claim rows per detail sheet before it continues on the next (default: Excel's 1,048,576 less the 2 header rows). */
  readonly claimRowsPerSheet?: number;
}

/** Every fixed-size sheet as a model, with the anchors the Summary and Checks sheets refer to. */
export interface Models {
  readonly summary: SheetModel;
  readonly budget: SheetModel;
  readonly prepayments: SheetModel;
  readonly outOfGroup: SheetModel;
  readonly members: SheetModel;
  readonly methods: SheetModel;
  readonly journal: SheetModel;
  readonly parameters: SheetModel;
  /** 外转分析, 打包基金, 特例单议, 考核指标 Indicators and 待遇重算 Cost sharing: each absent when the run has none. */
  readonly extra: readonly SheetModel[];
  /** What the Summary and Checks sheets refer to (the claim sheets' anchors come when they are written). */
  readonly anchors: Omit<CheckAnchors, 'claims'>;
}

export function buildModels(input: WorkbookInput): Models {
  const r = input.result;
  const budget = budgetSheet(r, input.scenarioObject);
  const prepayments = prepaymentsSheet(r);
  const outOfGroup = outOfGroupSheet(r);
  const members = membersSheet(r);
  const methods = methodsSheet(r);
  const journal = journalSheet(r);
  const summary = summarySheet(r, budget.anchors, members.anchors);
  return {
    summary: summary.model,
    budget: budget.model,
    prepayments: prepayments.model,
    outOfGroup: outOfGroup.model,
    members: members.model,
    methods: methods.model,
    journal: journal.model,
    parameters: parametersSheet(r, input.scenarioObject, input.engineVersion),
    extra: [outOfGroupAnalysisSheet(r), fundsSheet(r), specialCasesSheet(r), kpisSheet(r), costSharingSheet(r)].filter((m): m is SheetModel => m !== undefined),
    anchors: {
      summary: summary.anchors,
      budget: budget.anchors,
      prepayments: prepayments.anchors,
      outOfGroup: outOfGroup.anchors,
      members: members.anchors,
      methods: methods.anchors,
      journal: journal.anchors,
    },
  };
}

export async function writeWorkbook(path: string, input: WorkbookInput, options: WorkbookOptions = {}): Promise<void> {
  const models = buildModels(input);
  const r = input.result;
  await writeAtomically(path, async (tmp) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: tmp,
      useStyles: true,
      useSharedStrings: false, // inline strings: a shared-string table would hold every claim's text in memory
      zip: { zlib: { level: 1 } },
    });
    wb.creator = `yibao ${input.engineVersion}`;
    wb.lastModifiedBy = wb.creator;
    wb.created = new Date(Date.UTC(r.scenario.year, 11, 31)); // no clock: the same inputs give the same workbook content
    wb.modified = wb.created;
    try {
      for (const m of [models.summary, models.budget, models.prepayments, models.outOfGroup, models.members, models.methods, ...models.extra]) renderSheet(wb, m);
      const claims = await writeClaimSheets(wb, input.scanPricedClaims, {
        rowsPerSheet: options.claimRowsPerSheet ?? DEFAULT_CLAIM_ROWS_PER_SHEET,
        scenario: r.scenario,
        spoolPath: `${tmp}.claims`,
      });
      renderSheet(wb, models.journal);
      renderSheet(wb, checksSheet(r, { ...models.anchors, claims }));
      renderSheet(wb, models.parameters);
      await wb.commit();
    } catch (e) {
      // Stop the zip and close the file so the temporary file can be removed.
      const w = wb as unknown as { zip?: { abort?: () => void }; stream?: NodeJS.WritableStream & { destroy(): void; closed?: boolean } };
      w.zip?.abort?.();
      const file = w.stream;
      if (file !== undefined && !file.closed) {
        await new Promise<void>((resolve) => {
          file.once('close', () => resolve());
          file.destroy();
        });
      }
      throw e;
    }
  });
}

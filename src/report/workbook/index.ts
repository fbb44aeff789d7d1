// The auditor's Excel workbook (审计工作簿): ten sheets (twelve with indicators and cost sharing) from the statement down to every claim, written with
// exceljs's streaming writer to a temporary file beside the target and renamed only on success.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { SettlementResult } from '../../domain/result.js';
import { type OutputWriter, writeAtomically } from '../../io/atomic.js';
import type { PricedClaimScanner } from '../spool.js';
import { ZipWriter } from '../zip.js';
import { budgetSheet } from './budget.js';
import { type CheckAnchors, checksSheet } from './checks.js';
import { DEFAULT_CLAIM_ROWS_PER_SHEET, writeClaimSheets } from './claims.js';
import { type JournalAnchors, journalSheet } from './journal.js';
import { costSharingSheet, kpisSheet } from './kpis.js';
import { membersSheet } from './members.js';
import { methodsSheet } from './methods.js';
import type { SheetModel } from './model.js';
import { outOfGroupSheet } from './out-of-group.js';
import { fundsSheet, outOfGroupAnalysisSheet } from './funds.js';
import { specialCasesSheet } from './special-cases.js';
import { parametersSheet } from './parameters.js';
import { prepaymentsSheet } from './prepayments.js';
import { type Workbook, renderSheet } from './render.js';
import { type MonthlyPaid, summarySheet } from './summary.js';

export { DEFAULT_CLAIM_ROWS_PER_SHEET } from './claims.js';
export { SHEET, claimSheetName } from './names.js';
export type { PricedClaimScanner } from '../spool.js';


export interface WorkbookInput {
  readonly result: SettlementResult;
  /** The scenario as settled, a plain JSON-like object; every key path → value goes on the Parameters sheet. */
  readonly scenarioObject: unknown;
  readonly engineVersion: string;
  /** In a book: Σ monthly paid and its cell, for Y = T − Σ paid on the Summary sheet (DOMAIN.md §12.4). */
  readonly monthlyPaid?: MonthlyPaid;
  /** Streams every in-group claim priced; absent in aggregate mode. */
  readonly scanPricedClaims?: PricedClaimScanner;
}

export interface WorkbookOptions {
  /** Claim rows per detail sheet before it continues on the next (default: Excel's 1,048,576 less the 2 header rows). */
  readonly claimRowsPerSheet?: number;
  /** How the file is written (default: atomically on its own; `settle` stages it with the run's other outputs). */
  readonly write?: OutputWriter;
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
  const summary = summarySheet(r, budget.anchors, members.anchors, input.monthlyPaid);
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
  await streamWorkbook(path, { engineVersion: input.engineVersion, year: input.result.scenario.year }, async (wb) => {
    await renderSettlementSheets(wb, input, models, { rowsPerSheet: options.claimRowsPerSheet });
  }, options.write);
}

/**
 * The settlement's sheets in workbook order: Summary … the claim detail, the Journal, Checks, Parameters. With
 * `journal` given, the settlement's own journal sheet is left out and the Checks sheet refers to that one (a book
 * shows its own journal).
 */
export async function renderSettlementSheets(
  wb: Workbook,
  input: WorkbookInput,
  models: Models,
  options: { readonly rowsPerSheet?: number; readonly journal?: JournalAnchors },
): Promise<void> {
  const r = input.result;
  for (const m of [models.summary, models.budget, models.prepayments, models.outOfGroup, models.members, models.methods, ...models.extra]) renderSheet(wb, m);
  const claims = await writeClaimSheets(wb, input.scanPricedClaims, {
    rowsPerSheet: options.rowsPerSheet ?? DEFAULT_CLAIM_ROWS_PER_SHEET,
    scenario: r.scenario,
  });
  if (options.journal === undefined) renderSheet(wb, models.journal);
  renderSheet(wb, checksSheet(r, { ...models.anchors, journal: options.journal ?? models.anchors.journal, claims }));
  renderSheet(wb, models.parameters);
}

/**
 * Writes a workbook with exceljs's streaming writer to a temporary file beside `path`, renamed only on success; the
 * zip is yibao's (ZipWriter: deflate level 1 in parallel blocks) in place of exceljs's archiver.
 * Its dates are the last day of the year settled (no clock: the same inputs give the same workbook content; the zip
 * entries carry that date too, so the same inputs give the same file).
 */
export async function streamWorkbook(
  path: string,
  meta: { readonly engineVersion: string; readonly year: number },
  write: (wb: Workbook) => Promise<void>,
  writer: WorkbookOptions['write'] = writeAtomically,
): Promise<void> {
  await (writer ?? writeAtomically)(path, async (tmp) => {
    const created = new Date(Date.UTC(meta.year, 11, 31));
    const zip = new ZipWriter(tmp, { level: 1, date: created });
    let wb: Workbook;
    try {
      wb = workbookWriter(zip);
    } catch (e) {
      await zip.abort();
      throw e;
    }
    wb.creator = `yibao ${meta.engineVersion}`;
    wb.lastModifiedBy = wb.creator;
    wb.created = created;
    wb.modified = wb.created;
    try {
      await write(wb);
      await wb.commit();
    } catch (e) {
      await zip.abort(); // stops writing and closes the file, so the temporary file can be removed
      throw e;
    }
  });
}

/** A Writable that drops what it is given: where the archiver exceljs creates (and never uses here) writes to. */
const nowhere = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * exceljs's streaming writer with `zip` in place of its archiver. The writer creates an archiver in its constructor and
 * appends the theme and the package relations to it at once; that archiver is stopped, and the two parts are
 * appended again to `zip` (exceljs's own addThemes / addOfficeRels). `zip` is also the writer's output stream: its
 * 'finish' ends `commit()`.
 */
function workbookWriter(zip: ZipWriter): Workbook {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: nowhere(),
    useStyles: true,
    useSharedStrings: false, // inline strings: a shared-string table would hold every claim's text in memory
  });
  const w = wb as unknown as {
    zip: { abort(): void };
    stream: unknown;
    promise: Promise<unknown>;
    addThemes(): Promise<void>;
    addOfficeRels(): Promise<void>;
  };
  w.zip.abort();
  w.zip = zip;
  w.stream = zip;
  w.promise = Promise.all([w.addThemes(), w.addOfficeRels()]);
  return wb;
}

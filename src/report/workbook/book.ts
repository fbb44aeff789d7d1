// The book workbook (`book status DIR --xlsx FILE`, DOMAIN.md §12): 月度预结算 Monthly and 月度拨付 Paid by member;
// 年终清算 Clearing followed by the settlement's own sheets for that clearing (Summary … claim detail, Checks,
// Parameters); 补充清算 Supplements; 分录 Journal; 批次 Batches. Same conventions as the settlement workbook
// (SheetModel + renderSheet: bilingual headers, #,##0.00, frozen headers, filters, live formulas with cached values)
// and written the same way (streaming, to a temporary file renamed only on success).
//
// The clearing's sheets need the engine's full SettlementResult, which a book does not store (only the figures and
// the §8 JSON): it is recomputed with computeClearing — the code path of `book clear`, `book lock` and `verify` — on
// the book as it stood when the clearing shown was made, and must give exactly the stored figures.
import type { ClaimSource } from '../../claims/source.js';
import { pricedClaimScanner } from '../../app/claims.js';
import type { BookClaims } from '../../book/compute.js';
import { type BookEvent, type BookState, lastVersion } from '../../book/state.js';
import { formatFen } from '../../domain/money.js';
import { ENGINE_VERSION } from '../../version.js';
import { batchesSheet } from './book-batches.js';
import { type ShownClearing, clearingSheet, noClearingSheet, shownClearing } from './book-clearing.js';
import { bookJournalSheet } from './book-journal.js';
import { monthlySheet, paidByMemberSheet } from './book-monthly.js';
import { supplementsSheet } from './book-supplements.js';
import { type WorkbookInput, buildModels, renderSettlementSheets, streamWorkbook } from './index.js';
import { sheetRef } from './model.js';
import { BOOK_SHEET } from './names.js';
import { renderSheet } from './render.js';

export interface BookWorkbookOptions {
  /** Claim rows per detail sheet (default: as many as Excel allows). */
  readonly claimRowsPerSheet?: number;
  /** List every claim of the clearing on the detail sheets (default true). */
  readonly claimDetail?: boolean;
}

/** What the workbook reads from a book's store: its claims, and its folder for messages. */
export type BookSource = BookClaims & { readonly dir: string };

export async function writeBookWorkbook(file: string, state: BookState, events: readonly BookEvent[], store: BookSource, options: BookWorkbookOptions = {}): Promise<void> {
  const shown = await shownClearing(state, events, store, store.dir);
  const monthly = monthlySheet(state);
  const byMember = paidByMemberSheet(state, monthly.anchors);
  const journal = bookJournalSheet(state);
  await streamWorkbook(file, { engineVersion: ENGINE_VERSION, year: state.year }, async (wb) => {
    renderSheet(wb, monthly.model);
    renderSheet(wb, byMember.model);
    if (shown === undefined) renderSheet(wb, noClearingSheet(state));
    else {
      const input: WorkbookInput = {
        result: shown.clearing.result,
        scenarioObject: scenarioAsCleared(shown),
        engineVersion: ENGINE_VERSION,
        monthlyPaid: { fen: shown.clearing.figures.settlement.paid, ref: sheetRef(BOOK_SHEET.monthly, monthly.anchors.paidTotal) },
        scanPricedClaims: options.claimDetail === false ? undefined : claimScanner(shown, store),
      };
      const models = buildModels(input);
      const anchors = { summary: models.anchors.summary, members: models.anchors.members, monthly: monthly.anchors, paidByMember: byMember.anchors };
      renderSheet(wb, clearingSheet(state, shown, anchors));
      await renderSettlementSheets(wb, input, models, { rowsPerSheet: options.claimRowsPerSheet, journal: journal.anchors });
    }
    renderSheet(wb, supplementsSheet(state));
    renderSheet(wb, journal.model);
    renderSheet(wb, batchesSheet(state, events));
  });
}

/** The last version's scenario as the clearing read it: its resolved form, with the carry-forward opening the book used. */
function scenarioAsCleared(shown: ShownClearing): unknown {
  const { claims: _claims, ...obj } = JSON.parse(lastVersion(shown.basis).record.resolved) as Record<string, unknown>;
  const carryForward = typeof obj.carryForward === 'object' && obj.carryForward !== null ? obj.carryForward : {};
  return { ...obj, carryForward: { ...carryForward, opening: formatFen(shown.basis.opening) } };
}

/** Every in-group claim of the batches the clearing used, priced by the last version (the detail sheets' rows). */
function claimScanner(shown: ShownClearing, claims: BookClaims) {
  const basis = shown.basis;
  const fileOf = new Map(basis.batches.map((b) => [`batch ${b.seq}`, `#${b.seq} ${b.file}`]));
  const source: ClaimSource = {
    async scan(visit) {
      const rows = await claims.scan({ throughBatch: basis.batches.length }, (claim, at) => visit(claim, { file: fileOf.get(at.file) ?? at.file, row: at.row }));
      return { rows, files: [], errors: [], errorCount: 0 };
    },
  };
  return pricedClaimScanner(lastVersion(basis).scenario, source, shown.clearing.result.actuals);
}

// `--csv DIR`: each table of the workbook as a CSV file (UTF-8 with BOM so Excel shows Chinese; money as two-decimal
// strings; CRLF line ends). Built from the same sheet models as the workbook. Each file is written to a temporary
// file and renamed; claims.csv is streamed with synchronous writes, so memory stays bounded.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatFen } from '../domain/money.js';
import { type OutputWriter, writeAtomically } from '../io/atomic.js';
import { checksSheet } from './workbook/checks.js';
import { CLAIM_COLUMNS, claimCells } from './workbook/claims.js';
import { type WorkbookInput, buildModels } from './workbook/index.js';
import { type Cell, type Column, type SheetModel, cellText } from './workbook/model.js';
import { CSV } from './workbook/names.js';
import { spoolClaims } from './spool.js';

export const BOM = '\uFEFF';

function quote(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: readonly string[]): string => `${fields.map(quote).join(',')}\r\n`;

const header = (columns: readonly Column[]) => csvLine(columns.map((c) => `${c.zh} ${c.en}`));
const text = (c: Cell) => cellText(c, formatFen);

/** A sheet model as CSV text: one header line, then every non-blank row (totals included, formulas as values). */
export function modelToCsv(model: SheetModel): string {
  let out = BOM + header(model.columns);
  for (const row of model.rows) {
    if (row.kind === 'blank') continue;
    const cells = model.columns.map((_, i) => text(row.cells[i] ?? null));
    out += csvLine(cells);
  }
  return out;
}

async function writeText(path: string, content: string, write: OutputWriter): Promise<void> {
  await write(path, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
  });
}

/** Writes every table into `dir`; each file atomically, or staged with the run's other outputs (`write`). */
export async function writeCsvTables(dir: string, input: WorkbookInput, write: OutputWriter = writeAtomically): Promise<void> {
  const m = buildModels(input);
  for (const model of [m.summary, m.budget, m.prepayments, m.outOfGroup, m.members, m.methods, ...m.extra, m.journal, m.parameters]) {
    await writeText(join(dir, model.csv), modelToCsv(model), write);
  }
  // claims.csv, streamed; the per-member sums feed the reconciliation rows of checks.csv.
  const spooled = await write(join(dir, CSV.claims), (tmp) =>
    spoolClaims(tmp, input.scanPricedClaims, (p, at) => csvLine(claimCells(p, at).map(text)), BOM + header(CLAIM_COLUMNS)),
  );
  const checks = checksSheet(input.result, {
    ...m.anchors,
    claims: { sheets: [{ name: 'claims.csv', firstRow: 2, lastRow: spooled.rows + 1 }], rows: spooled.rows, liabilityByMember: spooled.liabilityByMember },
  });
  await writeText(join(dir, CSV.checks), modelToCsv(checks), write);
}

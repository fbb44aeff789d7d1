// The CSV reader against papaparse, a well-kept strict parser, on random tables (issue 11, item 2).
// Valid tables (LF, CRLF or CR-only line ends, quoted cells with commas and doubled quotes): the same records.
// Broken tables (a line break inside a quoted cell, or a quote left open): exactly one error, at the row where the
// bad record opened (as papaparse sees the record), the same records before it, and none swallowed into a cell.
// Files are read in 7-byte chunks so every record, quote and CRLF straddles chunk boundaries somewhere.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/domain/types.js';
import { tmp, writeTmp } from './helpers.js';

process.env.YIBAO_CHUNK = '7';
const { readCsv } = await import('../../src/claims/csv.js');

const dir = tmp();
let n = 0;

const cell = fc.array(fc.constantFrom('a', 'Z', '1', '.', '-', ',', '"', ' ', '中', '𠮷', '\t'), { maxLength: 5 }).map((cs) => cs.join(''));
const EOL = fc.constantFrom('\n', '\r\n', '\r');

function serialize(cells: readonly string[], quoteAll: boolean): string {
  return cells
    .map((c) => (quoteAll || /[",\r\n]/.test(c) || c.startsWith(' ') ? `"${c.replace(/"/g, '""')}"` : c))
    .join(',');
}

const blank = (r: readonly string[]) => r.every((c) => c.trim() === '');

async function ours(text: string) {
  const path = writeTmp(dir, `d${n++}.csv`, text);
  const records: { cells: string[]; row: number }[] = [];
  const errors: InputError[] = [];
  await readCsv(path, 'utf-8', { file: 'f.csv', errors: { add: (e) => errors.push(e) }, onBytes: () => undefined }, {
    header(cells, row) {
      records.push({ cells: [...cells], row });
      return true;
    },
    row(cells, row) {
      records.push({ cells: [...cells], row });
    },
  });
  return { records, errors };
}

function papa(text: string, eol: string) {
  return Papa.parse<string[]>(text, { newline: eol as '\n', delimiter: ',' });
}

const table = fc.record({
  rows: fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
  quoted: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  eol: EOL,
  finalEol: fc.boolean(),
});

function render(t: { rows: string[][]; quoted: boolean[]; eol: string; finalEol: boolean }, header = ['h1', 'h2', 'h3']) {
  const lines = [serialize(header, false), ...t.rows.map((r, i) => serialize(r, t.quoted[i]))];
  return lines.join(t.eol) + (t.finalEol ? t.eol : '');
}

describe('CSV reader vs papaparse', () => {
  it('reads valid tables exactly as papaparse does, with every line ending', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const text = render(t);
        const expected = papa(text, t.eol);
        expect(expected.errors).toEqual([]);
        const want = expected.data.map((cells, i) => ({ cells, row: i + 1 })).filter((r) => !blank(r.cells));
        const got = await ours(text);
        expect(got.errors).toEqual([]);
        expect(got.records).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('stops at a line break inside a quoted cell or an open quote, naming the row where it opened', async () => {
    const broken = fc.record({
      t: table,
      at: fc.nat(),
      col: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom('lineBreak', 'openQuote'),
      brk: EOL,
    });
    await fc.assert(
      fc.asyncProperty(broken, async ({ t, at, col, kind, brk }) => {
        const rows = t.rows.map((r) => [...r]);
        const r = at % rows.length;
        const lines = [serialize(['h1', 'h2', 'h3'], false), ...rows.map((x, i) => serialize(x, t.quoted[i]))];
        if (kind === 'lineBreak') {
          rows[r][col] = `a${brk}b`;
          lines[r + 1] = serialize(rows[r], t.quoted[r]);
        } else {
          const cells = rows[r].map((c) => c.replace(/[",]/g, ''));
          cells[col] = `"open${cells[col]}`; // the line's only quote: it never closes on its line
          lines[r + 1] = cells.join(',');
        }
        const text = lines.join(t.eol) + (t.finalEol ? t.eol : '');
        const parsed = papa(text, t.eol);
        // The bad record as papaparse sees it: the first whose cells hold a line break, or that papaparse flags.
        const flagged = parsed.errors.map((e) => e.row ?? Infinity);
        const withBreak = parsed.data.findIndex((cells) => cells.some((c) => /[\r\n]/.test(c)));
        const badIndex = Math.min(withBreak < 0 ? Infinity : withBreak, ...flagged);
        expect(Number.isFinite(badIndex)).toBe(true);
        const got = await ours(text);
        expect(got.errors).toHaveLength(1);
        // csv.quoteText: the open quote met a later quote on the same line (`"open,x,"y`), a misplaced quote.
        expect(['csv.lineBreak', 'csv.quote', 'csv.quoteText']).toContain(got.errors[0].rule);
        expect(got.errors[0].row).toBe(badIndex + 1);
        expect(got.errors[0].zh).toContain(`第 ${badIndex + 1} 行`);
        const before = parsed.data.slice(0, badIndex).map((cells, i) => ({ cells, row: i + 1 })).filter((x) => !blank(x.cells));
        expect(got.records.filter((x) => x.row <= badIndex)).toEqual(before);
        // Reading stops at a record that runs past its line: nothing after it is taken as rows.
        if (got.errors[0].rule !== 'csv.quoteText') expect(got.records.length).toBe(before.length);
      }),
      { numRuns: 300 },
    );
  });
});

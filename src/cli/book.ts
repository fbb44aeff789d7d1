// `yibao book …`: the settlement year as a book (结算账簿). Thin: each subcommand calls src/app/book.ts and prints
// its bilingual summary; errors reach main.ts's one catch. src/app/book.ts (and with it DuckDB, ≈ 0.25 s to load) is
// imported when a subcommand runs, not when it is registered: `yibao --help` lists the book commands without it.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { BookState } from '../book/state.js';
import { formatFenGrouped } from '../domain/money.js';
import { InputRejected } from '../domain/errors.js';
import { join, resolve } from 'node:path';

const app = () => import('../app/book.js');
const print = (lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n`);

export function registerBookCommands(program: Command): void {
  const book = program.command('book').description('结算账簿 The settlement year as a book: monthly pre-settlement, clearing, lock, supplements');

  book
    .command('init')
    .description('建立账簿 Open a book for one group and year with its first policy version')
    .argument('<dir>', 'book folder 账簿目录')
    .requiredOption('--scenario <file>', 'the policy (scenario file) 政策版本')
    .option('--previous <dir>', "last year's book: take its closing carry-forward 上年账簿")
    .action(async (dir: string, opts: { scenario: string; previous?: string }) => {
      const { bookInit, cliContext } = await app();
      print((await bookInit(dir, opts.scenario, cliContext, opts.previous)).lines);
    });

  book
    .command('amend')
    .description('新增政策版本 Add a policy version in force from its effectiveFrom month')
    .argument('<dir>', 'book folder 账簿目录')
    .requiredOption('--scenario <file>', 'the new version, with effectiveFrom: "YYYY-MM" 新政策版本')
    .action(async (dir: string, opts: { scenario: string }) => {
      const { bookAmend, cliContext, withBook } = await app();
      print((await withBook(dir, 'book amend', (store) => bookAmend(store, opts.scenario, cliContext))).lines);
    });

  book
    .command('import')
    .description('导入批次 Import claims files as batches, all or nothing')
    .argument('<dir>', 'book folder 账簿目录')
    .argument('<files...>', 'claims files (CSV or XLSX) 结算明细文件')
    .addOption(new Option('--encoding <name>', 'CSV encoding 编码').choices(['auto', 'utf-8', 'gb18030', 'gbk']))
    .option('--sheet <name>', 'XLSX sheet to read 工作表名')
    .option('--mapping <file>', 'column/value mapping 列映射文件')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--report <file>', 'where a refused import writes every error (CSV, UTF-8 with BOM)', 'import-errors.csv')
    .action(async (dir: string, files: string[], opts: { encoding?: string; sheet?: string; mapping?: string; progress?: boolean; report: string }) => {
      const { bookImport, cliContext, withBook } = await app();
      try {
        const r = await withBook(dir, 'book import', (store) => bookImport(store, files, cliContext, { encoding: opts.encoding, sheet: opts.sheet, mappingFile: opts.mapping, progress: opts.progress }));
        print(r.lines);
      } catch (e) {
        // A refused import: the terminal shows the first 50 errors; the report holds them all (never over an input).
        const { checkNotInputs } = await import('../io/outputs.js');
        const overInput = checkNotInputs([{ path: opts.report, kind: 'file', option: '--report' }], files).length > 0;
        if (e instanceof InputRejected && e.errors.length > 0 && !overInput) {
          const { saveErrorReport } = await import('./validate.js');
          await saveErrorReport(e.errors, e.totalErrors, resolve(opts.report));
        }
        throw e;
      }
    });

  book
    .command('close')
    .description('月结 Close a month: its pre-settlement payment (months close in order)')
    .argument('<dir>', 'book folder 账簿目录')
    .argument('<month>', 'YYYY-MM')
    .action(async (dir: string, month: string) => {
      const { bookClose, cliContext, withBook } = await app();
      print((await withBook(dir, 'book close', (store) => bookClose(store, month, cliContext))).lines);
    });

  // The commands that take only the book: the draft clearing, the lock, a supplement.
  const onBook: ReadonlyArray<readonly [string, string, 'bookClear' | 'bookLock' | 'bookSupplement']> = [
    ['clear', '年终清算草稿 The draft year-end clearing (recomputable until the lock)', 'bookClear'],
    ['lock', '锁定 Lock the year: post the clearing as drafted', 'bookLock'],
    ['supplement', '补充清算 Settle batches imported after the lock as differences', 'bookSupplement'],
  ];
  for (const [name, description, command] of onBook) {
    book
      .command(name)
      .description(description)
      .argument('<dir>', 'book folder 账簿目录')
      .action(async (dir: string) => {
        const { [command]: run, cliContext, withBook } = await app();
        const r: { lines: string[]; warnings?: string[] } = await withBook(dir, `book ${name}`, (store) => run(store, cliContext));
        print(r.lines);
        // Done, with something left to do (a supplement whose carry-forward could not reach next year's book).
        if (r.warnings !== undefined && r.warnings.length > 0) {
          process.stderr.write(`${r.warnings.join('\n')}\n`);
          process.exitCode = 1;
        }
      });
  }

  book
    .command('status')
    .description('账簿状态 Months, clearing, supplements; the §12.8 JSON and the book workbook')
    .argument('<dir>', 'book folder 账簿目录')
    .option('--json <file>', 'write the book JSON (DOMAIN.md §12.8)')
    .option('--xlsx <file>', 'write the book workbook')
    .action(async (dir: string, opts: { json?: string; xlsx?: string }) => {
      const { loadBook, withBook } = await app();
      // The targets first (a folder where a file goes, the same place twice, the book's own files): nothing written.
      const { checkNotInputs, checkTargets } = await import('../io/outputs.js');
      const targets = [
        ...(opts.json ? [{ path: opts.json, kind: 'file' as const, option: '--json' }] : []),
        ...(opts.xlsx ? [{ path: opts.xlsx, kind: 'file' as const, option: '--xlsx' }] : []),
      ];
      const wrong = [...checkTargets(targets), ...checkNotInputs(targets, [join(dir, 'book.duckdb'), join(dir, 'book.duckdb.wal'), join(dir, 'LOCK')])];
      if (wrong.length > 0) throw new InputRejected(wrong);
      await withBook(dir, 'book status', async (store) => {
        const { state, events } = await loadBook(store);
        if (opts.json) {
          const [{ writeTextAtomically }, { bookJsonText }] = await Promise.all([import('../io/atomic.js'), import('../book/json.js')]);
          await writeTextAtomically(opts.json, bookJsonText(state, events));
        }
        if (opts.xlsx) {
          const { writeBookWorkbook } = await import('../report/workbook/book.js');
          await writeBookWorkbook(opts.xlsx, state, events, store);
        }
        print(statusLines(state));
      });
    });

  book
    .command('verify')
    .description('核验 Re-derive every posting from the stored versions and batches; check the hash chain')
    .argument('<dir>', 'book folder 账簿目录')
    .action(async (dir: string) => {
      const [{ withBook }, { bookVerify }] = await Promise.all([app(), import('../app/bookVerify.js')]);
      const r = await withBook(dir, 'book verify', bookVerify);
      print(r.lines);
      if (!r.ok) {
        process.stderr.write('核验未通过 / verification failed\n');
        process.exitCode = 1;
      }
    });
}

function statusLines(s: BookState): string[] {
  const y = (f: number) => formatFenGrouped(f).padStart(16);
  const out = [
    `${s.groupId} ${s.year} 年度账簿 / book for ${s.year}: ${s.versions.length} 个政策版本 versions, ${s.batches.length} 个批次 batches, ${s.months.length}/12 个月已月结 months closed${s.locked ? '，已锁定 locked' : ''}`,
    `${'月份 month'.padEnd(10)} ${'预拨 installment'.padStart(16)} ${'工作量 workload'.padStart(16)} ${'外转 out-of-group'.padStart(16)} ${'拨付 paid'.padStart(16)}`,
  ];
  for (const m of s.months) out.push(`${m.month.padEnd(10)} ${y(m.installment)} ${y(m.workload)} ${y(m.outOfGroupDeductions)} ${y(m.paid)}`);
  const c = s.locked ?? s.draft?.clearing;
  if (c) {
    const f = c.figures.settlement;
    out.push(`${s.locked ? '年终清算（锁定）locked clearing' : '清算草稿 draft clearing'}: T ${formatFenGrouped(f.groupTotal)}, Σ paid ${formatFenGrouped(f.paid)}, Y ${formatFenGrouped(f.yearEndPayment)}`);
  }
  for (const sp of s.supplements) out.push(`补充清算 supplement ${sp.index}: ΔY ${formatFenGrouped(sp.difference.settlement.yearEndPayment)}, ΔT ${formatFenGrouped(sp.difference.settlement.groupTotal)}`);
  out.push(`head ${s.journal[s.journal.length - 1]?.hash ?? ''}`);
  return out;
}

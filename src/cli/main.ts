// The `yibao` command. Thin: each command lives in its own file; one top-level catch maps errors to exit codes:
//   0 success · 1 input rejected (every error listed) · 2 usage · 3 invariant broken (a bug) · 4 other failure
import { Command, CommanderError, Option } from 'commander';
import { InputRejected, InvariantViolation } from '../domain/errors.js';
import { ENGINE_VERSION } from '../version.js';
import { formatInputErrors, rejectedHeading } from './errors.js';

// Each command's module is imported when the command runs, so that a settle does not first load what other commands
// need (exceljs, resvg, the what-if and budget code). The book and serve commands load DuckDB and the server only
// when one of them runs; their registration is skipped when the command line is one of the other commands (help
// lists them all).
const OTHER_COMMANDS = new Set(['settle', 'validate', 'generate', 'compare', 'sweep', 'risk', 'monitor', 'budget']);

const encodingOption = () =>
  new Option('--encoding <name>', 'CSV encoding 编码 (auto-detected by default; gbk = gb18030)').choices(['auto', 'utf-8', 'gb18030', 'gbk']);

export async function buildProgram(options: { book?: boolean } = {}): Promise<Command> {
  const program = new Command();
  program
    .name('yibao')
    .description('医保总额打包结算 — settlement engine for medical-insurance global budgets')
    .version(ENGINE_VERSION)
    .exitOverride()
    // commander's own messages (a missing argument, an unknown option or command) are English: a Chinese line first.
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(`命令行用法有误 / ${s}`) })
    .showHelpAfterError('（yibao <命令> --help 查看用法 / yibao <command> --help for usage）');

  program
    .command('settle')
    .description('结算一个场景 Settle one scenario: print the statement, write the JSON result')
    .argument('<scenario>', 'scenario file 场景文件 (YAML or JSON)')
    .option('--json <file>', 'write the JSON result (DOMAIN.md §8) 输出 JSON')
    .option('--xlsx <file>', 'write the auditor workbook 输出审计工作簿')
    .option('--csv <dir>', 'write each table as CSV (UTF-8 with BOM) 输出 CSV 表')
    .option('--set <key=value>', 'override a scenario key for this run, e.g. budget.riskReserveRate=0.03 (repeatable) 覆盖参数', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(encodingOption())
    .option('--sheet <name>', 'XLSX sheet to read 工作表名')
    .option('--mapping <file>', 'column/value mapping for other exports 列映射文件')
    .option('-q, --quiet', 'do not print the statement')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--report <file>', 'where a rejected run writes its error report 错误报告', 'settle-errors.csv')
    .action(async (scenario: string, opts) => {
      process.exitCode = await (await import('./settle.js')).runSettle(scenario, opts);
    });

  program
    .command('validate')
    .description('校验结算明细 Check claims files row by row; write an error report (CSV, UTF-8 with BOM)')
    .argument('[files...]', "claims files (CSV in UTF-8 or GB18030, or XLSX) 结算明细文件; with --scenario, default the scenario's")
    .option('--scenario <file>', "also check the scenario's year, member codes and DRG/DIP tables 按场景校验年度、机构编码与分组表")
    .addOption(encodingOption())
    .option('--sheet <name>', 'XLSX sheet to read 工作表名')
    .option('--mapping <file>', 'column/value mapping for other exports 列映射文件')
    .option('--report <file>', 'where to write the error report 错误报告', 'validation-errors.csv')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (files: string[], opts) => {
      process.exitCode = await (await import('./validate.js')).runValidate(files, opts);
    });

  program
    .command('generate')
    .description('生成模拟结算明细 Write seeded synthetic claims for a scenario')
    .argument('<scenario>', 'scenario file 场景文件')
    .requiredOption('--claims <n>', 'number of claims 条数', (v) => Number(v))
    .option('--seed <n>', 'random seed 随机种子', (v) => Number(v), 1)
    .requiredOption('--out <file>', 'output file 输出文件')
    .addOption(new Option('--format <f>', 'file format').choices(['csv', 'xlsx']).default('csv'))
    .addOption(new Option('--encoding <name>', 'CSV encoding').choices(['utf-8', 'gb18030']).default('utf-8'))
    .addOption(new Option('--headers <h>', 'column headers').choices(['canonical', 'chinese']))
    .addOption(new Option('--mix <name>', 'claims mix 明细构成 (drg-heavy: 30% inpatient, mostly DRG/DIP)').choices(['default', 'drg-heavy']))
    .action(async (scenario: string, opts) => {
      process.exitCode = await (await import('./generate.js')).runGenerate(scenario, opts);
    });

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const readOptions = (c: Command) =>
    c
      .addOption(encodingOption())
      .option('--sheet <name>', 'XLSX sheet to read 工作表名')
      .option('--mapping <file>', 'column/value mapping for other exports 列映射文件')
      .option('--no-progress', 'no progress bar on stderr')
      .option('-q, --quiet', 'do not print the table');

  readOptions(
    program
      .command('compare')
      .description('方案对比 Compare scenarios side by side: every figure and member total, with deltas against the first')
      .argument('<scenarios...>', 'two or more scenario files 场景文件')
      .option('--set <key=value>', 'override a scenario key for this run (repeatable) 覆盖参数', collect, [])
      .option('--xlsx <file>', 'write the comparison workbook 输出工作簿')
      .option('--csv <file>', 'write the comparison as CSV (UTF-8 with BOM)')
      .option('--json <file>', 'write the comparison as JSON'),
  ).action(async (scenarios: string[], opts) => {
    process.exitCode = await (await import('./compare.js')).runCompare(scenarios, opts);
  });

  readOptions(
    program
      .command('sweep')
      .description('参数扫描 Sweep: settle every combination of --vary ranges (claims read once)')
      .argument('<base>', 'base scenario file 基准场景')
      .requiredOption('--vary <key=from:to:step>', 'a key and its range FROM:TO:STEP, or a list v1,v2,… (repeatable) 扫描参数', collect, [])
      .option('--set <key=value>', 'override a scenario key before sweeping (repeatable) 覆盖参数', collect, [])
      .option('--csv <file>', 'write the grid as CSV (UTF-8 with BOM)')
      .option('--xlsx <file>', 'write the grid as a workbook')
      .option('--json <file>', 'write a JSON array, one { set, settlement, members } per variant'),
  ).action(async (base: string, opts) => {
    process.exitCode = await (await import('./sweep.js')).runSweepCommand(base, opts);
  });

  readOptions(
    program
      .command('risk')
      .description('风险模拟 Risk: Monte Carlo of the year end under uncertain volume and cost per case (deterministic per seed)')
      .argument('<base>', 'base scenario file 基准场景')
      .option('--runs <n>', 'number of runs 模拟次数', '1000')
      .option('--seed <s>', 'random seed 随机种子', '1')
      .option('--volume-cv <cv>', 'coefficient of variation of claim volume 就诊量变异系数', '0.05')
      .option('--cost-cv <cv>', 'coefficient of variation of cost per case 次均费用变异系数', '0.05')
      .option('--method-cv <method=v[:c]>', 'per payment method (ffs/drg/dip/perDiem/singleDisease/outOfGroup) volume and cost CVs (repeatable)', collect, [])
      .option('--set <key=value>', 'override a scenario key (repeatable) 覆盖参数', collect, [])
      .option('--json <file>', 'write { runs, seed, pOverrun, balance: { mean, p5, p50, p95 }, … }')
      .option('--svg <file>', 'write the histogram of the balance as SVG')
      .option('--png <file>', 'write the histogram of the balance as PNG')
      .option('--xlsx <file>', 'write percentiles, bins and the histogram picture as a workbook'),
  ).action(async (base: string, opts) => {
    process.exitCode = await (await import('./risk.js')).runRisk(base, opts);
  });

  readOptions(
    program
      .command('monitor')
      .description('月度监测 Monitor: claims to date vs prepayments to date, projected year end, early overrun warning')
      .argument('<scenario>', 'scenario file 场景文件')
      .requiredOption('--through <yyyy-mm>', 'last month to include 截至月份')
      .option('--prior <file>', "prior year's scenario (with its claims) for a same-months projection 上年场景")
      .option('--set <key=value>', 'override a scenario key (repeatable) 覆盖参数', collect, [])
      .option('--json <file>', 'write the month-by-month table and the projection as JSON')
      .option('--csv <file>', 'write the month-by-month table as CSV (UTF-8 with BOM)')
      .option('--xlsx <file>', 'write the month-by-month table as a workbook'),
  ).action(async (scenario: string, opts) => {
    process.exitCode = await (await import('./monitor.js')).runMonitor(scenario, opts);
  });

  if (options.book !== false) {
    (await import('./book.js')).registerBookCommands(program);
    (await import('./serve.js')).registerServeCommands(program);
  }

  readOptions(
    program
      .command('budget')
      .description('总额与人头费测算 Budget: next year\'s total and per-capita standards from past years (DOMAIN.md §14)')
      .argument('<history>', 'history file 测算文件 (YAML or JSON)')
      .option('--claims <year=file>', "sum a past year from its claims file: fund spend, and per contract type (签约类型) cost and self-pay per person (repeatable) 从结算明细汇总", collect, [])
      .option('--json <file>', 'write the estimate as JSON 输出 JSON')
      .option('--xlsx <file>', 'write the 测算 workbook (live formulas) 输出测算工作簿')
      .option('--scenario <file>', 'write a scenario fragment (budget line, capitation rates) to paste or extends: 输出场景片段'),
  ).action(async (history: string, opts) => {
    process.exitCode = await (await import('./budget.js')).runBudget(history, opts);
  });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  // settle and validate read a big claims file on a second thread: it starts booting now, while their modules load
  // and the scenario is read (csvThread.ts prestartReaderThread: unused, it does not keep the process alive).
  if (argv[2] === 'settle' || argv[2] === 'validate') void import('../claims/csvThread.js').then((m) => m.prestartReaderThread());
  const program = await buildProgram({ book: !OTHER_COMMANDS.has(argv[2] ?? '') });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputRejected) {
      process.stderr.write(`${formatInputErrors(e.errors, e.totalErrors, 50, rejectedHeading(argv[2]))}\n`);
      return 1;
    }
    if (e instanceof InvariantViolation) {
      process.stderr.write(`内部错误：结算不变式被破坏，未写出任何结果 / Internal error: a settlement invariant broke; nothing was written.\n${e.message}\n`);
      return 3;
    }
    process.stderr.write(`错误 / Error: ${(e as Error).message}\n`);
    if (process.env.YIBAO_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 4;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});

// Wiring of the book's commands: lock the folder → open the store → fold the events into the state → check the
// command → compute with the engine → append the event and its transactions in one database transaction.
// The clock enters here (ctx.now) and is stored in the event.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { openClaimFiles, parseMapping, type ImportOptions } from '../claims/index.js';
import { readInputText } from '../io/input.js';
import { InputRejected } from '../domain/errors.js';
import type { Fen } from '../domain/money.js';
import type { InputError } from '../domain/types.js';
import { type BookClaims, clearingRecord, computeClearing, computeMonth } from '../book/compute.js';
import { isZeroDifference } from '../book/clearing.js';
import { lockBook } from '../book/lock.js';
import { type BookTransaction, transactionContent } from '../book/postings.js';
import { checkAmend, checkClear, checkClose, checkLock, checkSameGroup, checkSupplement } from '../book/rules.js';
import { type BookEvent, type BookState, type BatchRecord, applyEvent, inputStamp, supplementEvent } from '../book/state.js';
import { BookStore, RowSpool } from '../book/store.js';
import type { PendingReversal } from '../claims/ledger.js';
import { msg } from '../claims/messages.js';
import { readVersion, versionLoader } from '../book/versions.js';
import type { ScenarioReadOptions } from '../scenario/load.js';

export interface BookContext {
  /** The clock, read once per command (ISO date-time); stored in the event. */
  readonly now: () => string;
  readonly actor: string;
}

export const cliContext: BookContext = { now: () => new Date().toISOString(), actor: 'cli' };

/** YIBAO_TIMING=1: each phase's wall time on stderr (diagnostics only; never in any output). */
const phase = (() => {
  if (!process.env.YIBAO_TIMING) return (_: string) => undefined;
  let last = performance.now();
  let cpu = process.cpuUsage();
  return (name: string) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    process.stderr.write(`[timing] ${name}: ${(now - last).toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms cpu\n`);
    last = now;
    cpu = process.cpuUsage();
  };
})();

export interface OpenBook {
  readonly store: BookStore;
  readonly state: BookState;
  readonly events: readonly BookEvent[];
}

/** Folds the stored events and checks that they give exactly the stored transactions. */
export async function loadBook(store: BookStore): Promise<OpenBook> {
  const events = await store.events();
  const stored = await store.transactions();
  let state: BookState | undefined;
  const journal: BookTransaction[] = [];
  for (const e of events) {
    const r = applyEvent(state, e, versionLoader(store.filesDir));
    state = r.state;
    journal.push(...r.posted);
  }
  if (state === undefined) throw bookError(store.dir, 'book.empty', '账簿为空或未初始化', 'the book is empty or was never initialised');
  if (journal.length !== stored.length || journal.some((t, i) => t.hash !== stored[i].hash)) {
    throw bookError(
      store.dir,
      'book.journalMismatch',
      '账簿的分录与其事件不一致（可能被外部修改），请运行 book verify 查明',
      "the book's journal does not match its events (altered outside yibao?); run book verify to find where",
    );
  }
  return { store, state, events };
}

function bookError(dir: string, rule: string, zh: string, en: string): InputRejected {
  return new InputRejected([{ file: dir, rule, zh, en }]);
}

/**
 * Runs `fn` with the book locked and its store open; closes and unlocks whatever happens. The CLI runs each command
 * this way; a long-running owner (the server) opens the store once and calls the commands below on it.
 */
export async function withBook<T>(dir: string, command: string, fn: (store: BookStore) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  if (!options.create && !BookStore.exists(dir)) {
    throw bookError(dir, 'book.missing', `${dir} 不是账簿目录（缺少 book.duckdb）；请先 book init`, `${dir} is not a book (no book.duckdb); run book init first`);
  }
  if (options.create) mkdirSync(dir, { recursive: true });
  const lock = lockBook(dir, command);
  const onSignal = () => {
    lock.release();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let store: BookStore | undefined;
  try {
    store = await BookStore.open(dir, options.create === true);
    return await fn(store);
  } finally {
    await store?.close();
    lock.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Appends the events `work` returns, in one database transaction with whatever `work` wrote; all or nothing. */
async function commit(
  book: OpenBook,
  ctx: BookContext,
  detail: string,
  work: () => Promise<readonly BookEvent[]>,
): Promise<{ state: BookState; posted: BookTransaction[] }> {
  let state: BookState | undefined = book.events.length === 0 ? undefined : book.state;
  const all: BookTransaction[] = [];
  const store = book.store;
  await store.begin();
  try {
    const events = await work();
    let seq = book.events.length;
    for (const e of events) {
      const r = applyEvent(state, e, versionLoader(store.filesDir));
      state = r.state;
      all.push(...r.posted);
      await store.append(++seq, e, r.posted, (t) => transactionContent(t.seq, t.prev, t), ctx.actor, detail);
    }
    await store.commit();
  } catch (err) {
    await store.rollback();
    throw err;
  }
  return { state: state!, posted: all };
}

// ---------------------------------------------------------------- init / amend

export async function bookInit(dir: string, scenarioFile: string, ctx: BookContext, previous?: string): Promise<{ state: BookState; lines: string[] }> {
  if (BookStore.exists(dir)) {
    // A book whose init never committed (killed) holds no event: it may be opened again.
    const events = await withBook(dir, 'book init', async (store) => (await store.events().catch(() => [])).length);
    if (events > 0) throw bookError(dir, 'book.exists', `${dir} 已有账簿`, `${dir} already holds a book`);
    for (const f of ['book.duckdb', 'book.duckdb.wal']) rmSync(join(dir, f), { force: true });
  }
  const { record, scenario, files: attachments } = await readVersion(scenarioFile, 1);
  let opening: Fen = scenario.carryForward.opening;
  let prev: { dir: string; head: string; supplements: number } | undefined;
  if (previous !== undefined) {
    // The previous year's book learns of its successor first (a non-money event), so that its later supplements
    // post their carry-forward differences here; a crash before the new book commits leaves a name that leads
    // nowhere, which the supplement skips.
    const target = resolve(dir);
    const p = await withBook(previous, 'book init --previous', async (store) => {
      const book = await loadBook(store);
      const ps = book.state;
      if (ps.year !== scenario.year - 1) {
        throw bookError(previous, 'book.previousYear', `上年账簿是 ${ps.year} 年度，不是 ${scenario.year - 1} 年度`, `the previous book is for ${ps.year}, not ${scenario.year - 1}`);
      }
      if (!ps.posted) {
        throw bookError(previous, 'book.previousNotLocked', `上年账簿（${ps.year}）尚未锁定清算`, `the previous book (${ps.year}) has no locked clearing`);
      }
      if (ps.successor !== undefined && ps.successor !== target) {
        throw bookError(previous, 'book.previousHasSuccessor', `上年账簿已由 ${ps.successor} 接续`, `the previous book is already continued by ${ps.successor}`);
      }
      if (ps.successor === undefined) return (await commit(book, ctx, `successor ${target}`, async () => [{ kind: 'successor', at: ctx.now(), dir: target }])).state;
      return ps;
    });
    opening = p.posted!.carryForward.closing;
    // The opening is the previous year's closing after every supplement so far: those are not posted again.
    prev = { dir: resolve(previous), head: p.journal[p.journal.length - 1].hash, supplements: p.supplements.length };
  }
  const event: BookEvent = { kind: 'open', at: ctx.now(), year: scenario.year, groupId: scenario.group.id, opening, previous: prev, version: record };
  return withBook(
    dir,
    'book init',
    async (store) => {
      const { state } = await commit({ store, state: undefined as unknown as BookState, events: [] }, ctx, `init ${record.file} sha256 ${record.sha256}`, async () => {
        for (const a of attachments) store.saveFile(a.sha256, a.bytes);
        return [event];
      });
      return { state, lines: [`已建立 ${state.year} 年度账簿（${state.groupId}），政策版本 1：${record.file} / book opened for ${state.year} (${state.groupId}), policy version 1: ${record.file}`] };
    },
    { create: true },
  );
}

/** A new policy version (§12.2); `options.within`: the only folder its file may name files in (a web upload's). */
export async function bookAmend(store: BookStore, scenarioFile: string, ctx: BookContext, options: ScenarioReadOptions = {}): Promise<{ state: BookState; lines: string[] }> {
  const book = await loadBook(store);
  {
    const { record, scenario, files: attachments } = await readVersion(scenarioFile, book.state.versions.length + 1, options);
    const shown = basename(scenarioFile);
    const errors = [
      ...checkAmend(book.state, scenario.effectiveFrom, scenario.year, shown),
      ...checkSameGroup(book.state, scenario.group.members, scenario.group.lead, scenario.group.id, shown),
    ];
    if (errors.length > 0) throw new InputRejected(errors);
    const { state } = await commit(book, ctx, `amend ${record.file} sha256 ${record.sha256}`, async () => {
      for (const a of attachments) store.saveFile(a.sha256, a.bytes);
      return [{ kind: 'amend', at: ctx.now(), version: record }];
    });
    return {
      state,
      lines: [`政策版本 ${record.index} 自 ${record.effectiveFrom} 起执行：${record.file} / policy version ${record.index} in force from ${record.effectiveFrom}: ${record.file}`],
    };
  }
}

// ---------------------------------------------------------------- import

export interface BookImportOptions extends ImportOptions {
  readonly mappingFile?: string;
}

/** Imports claims files as batches, all or nothing (§12.1, §12.6). */
export async function bookImport(store: BookStore, files: readonly string[], ctx: BookContext, options: BookImportOptions = {}): Promise<{ state: BookState; lines: string[] }> {
  const book = await loadBook(store);
  const state = book.state;
  const errors: InputError[] = [];
  const known = new Set(state.batches.map((b) => b.sha256));
  const hashes: string[] = [];
  for (const f of files) {
    let h: string;
    try {
      if (!statSync(f).isFile()) throw new Error('not a regular file');
      h = await fileSha256(f);
    } catch (e) {
      errors.push({ file: f, rule: 'file.unreadable', zh: `无法读取文件：${(e as Error).message}`, en: `cannot read the file: ${(e as Error).message}` });
      continue;
    }
    const earlier = state.batches.find((b) => b.sha256 === h);
    if (earlier !== undefined) {
      errors.push({
        file: f,
        rule: 'batch.alreadyImported',
        value: h,
        zh: `该文件已导入过（与批次 ${earlier.seq} ${earlier.file} 内容相同，SHA-256 ${h.slice(0, 12)}…）`,
        en: `this file was already imported (same content as batch ${earlier.seq} ${earlier.file}, SHA-256 ${h.slice(0, 12)}…)`,
      });
    } else if (known.has(h)) {
      const twin = files[hashes.indexOf(h)];
      errors.push({
        file: f,
        rule: 'batch.twiceInImport',
        value: h,
        zh: `本次导入中该文件与 ${twin} 内容相同（SHA-256 ${h.slice(0, 12)}…）：同一批数据只能导入一次`,
        en: `this file has the same content as ${twin} in this import (SHA-256 ${h.slice(0, 12)}…): a batch is imported once`,
      });
    }
    known.add(h);
    hashes.push(h);
  }
  if (errors.length > 0) throw new InputRejected(errors);

  // The mapping as the importer decodes it (UTF-8 or GB18030), kept with the batch so it reads again the same way.
  const mappingText = options.mappingFile ? readInputText(options.mappingFile, options.mappingFile, 'mapping').text : undefined;
  const importOptions: ImportOptions = {
    encoding: options.encoding,
    sheet: options.sheet,
    mapping: mappingText === undefined ? undefined : parseMapping(mappingText, options.mappingFile!),
    progress: options.progress,
    deferUnknownReversals: true,
    year: state.year, // §12.1: a row dated outside the book's year is a row error
    members: state.versions[0].scenario.group.members.map((m) => m.id),
  };
  const first = state.batches.length + 1;
  const batchOf = new Map(files.map((f, i) => [f, first + i]));
  const monthRows = files.map(() => new Array<number>(12).fill(0));
  const late = files.map(() => 0);
  const rows = files.map(() => 0);
  const closed = state.months.length;
  const at = ctx.now();
  let batches: BatchRecord[] = [];
  // One database transaction: the rows are loaded in chunks while the files are still being read (DuckDB works in
  // its own threads), then checked book-wide; any error rolls everything back.
  const result = await commit(book, ctx, `import ${files.map((f, i) => `${basename(f)} sha256 ${hashes[i]}`).join('; ')}`, async () => {
    const spool = new RowSpool(store, `import-${process.pid}`);
    const source = openClaimFiles(
      files.map((f) => ({ path: f, shown: f })),
      importOptions,
    );
    const scan = await spool.around(() => source.scan((claim, where) => {
      const b = batchOf.get(where.file)!;
      const i = b - first;
      const month = Number(claim.serviceDate.slice(5, 7));
      monthRows[i][month - 1]++;
      rows[i]++;
      if (month <= closed) late[i]++;
      spool.add(b, where.row, month, claim);
    }));
    phase('scan, check and load rows');
    // The importer's row errors (an empty file, a row of another year among them) and the book-wide checks together.
    const wide = await bookWideErrors(store, state, files, first, batchOf, scan.pendingReversals ?? []);
    phase('book-wide checks');
    if (scan.errorCount + wide.length > 0) throw new InputRejected([...scan.errors, ...wide], scan.errorCount + wide.length);
    batches = files.map((f, i) => ({
      seq: first + i,
      sha256: hashes[i],
      file: basename(f),
      rows: rows[i],
      late: late[i],
      monthRows: monthRows[i],
      options: { encoding: options.encoding, sheet: options.sheet, mapping: mappingText },
    }));
    // The bytes the importer read must be the bytes hashed before (a file changed meanwhile is refused).
    const read = new Map(scan.files.map((x) => [x.file, x.sha256]));
    const changed = files.filter((f, i) => read.get(f) !== hashes[i]);
    if (changed.length > 0) {
      throw new InputRejected(changed.map((f) => ({ file: f, rule: 'file.changed', zh: '文件在导入过程中被修改，请重新导入', en: 'the file changed while it was being imported; import it again' })));
    }
    batches.forEach((b, i) => store.copyFile(b.sha256, files[i]));
    return batches.map((batch) => ({ kind: 'import', at, batch }));
  });
  phase('commit');
  const lines = batches.map(
    (b) =>
      `批次 ${b.seq} ${b.file}：${b.rows.toLocaleString('en-US')} 行${b.late > 0 ? `，其中 ${b.late.toLocaleString('en-US')} 行属已月结月份（迟到，留待清算）` : ''} / batch ${b.seq} ${b.file}: ${b.rows.toLocaleString('en-US')} rows${b.late > 0 ? `, ${b.late.toLocaleString('en-US')} late (dated in closed months; kept for the clearing)` : ''}`,
  );
  return { state: result.state, lines };
}

/** SHA-256 of a file, streamed (a batch may be larger than memory should hold twice). */
async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** §12.6: claim ids unique across the book; reversals of earlier batches' claims valid. */
async function bookWideErrors(
  store: BookStore,
  state: BookState,
  files: readonly string[],
  first: number,
  batchOf: ReadonlyMap<string, number>,
  pending: readonly PendingReversal[],
): Promise<InputError[]> {
  const errs: InputError[] = [];
  // Every sum the engine makes over the book's claims stays exact in integer fen: Σ |total_cost| of the whole book
  // (every amount of a claim is at most its total) must stay below 2^53 fen.
  if ((await store.absoluteCostTotal()) > BigInt(Number.MAX_SAFE_INTEGER)) {
    errs.push({
      file: files[files.length - 1],
      rule: 'amount.bookSumRange',
      zh: '导入后账簿全部结算单的医疗总费用之和超出精确计算范围（2^53 分），无法精确结算；请检查金额单位（元/分）',
      en: "after this import the book's claims would add up beyond the exact range (2^53 fen) and could not be settled exactly; check the amounts' unit (yuan, not fen)",
    });
  }
  for (let b = first; b < first + files.length; b++) {
    for (const d of await store.duplicatesOf(b)) {
      const firstBatch = d.firstBatch < first ? state.batches[d.firstBatch - 1].file : basename(files[d.firstBatch - first]);
      errs.push({
        file: files[b - first],
        row: d.row,
        column: 'claim_id',
        value: d.id,
        rule: 'claim.duplicateInBook',
        zh: `结算单据号 "${d.id}" 已在账簿中（批次 ${d.firstBatch} ${firstBatch} 第 ${d.firstRow} 行）`,
        en: `claim_id "${d.id}" is already in the book (batch ${d.firstBatch} ${firstBatch}, row ${d.firstRow})`,
      });
    }
  }
  for (const p of pending) {
    const o = await store.reversalOriginal(batchOf.get(p.file)!, p.row, p.original);
    const where = { file: p.file, row: p.row, column: p.column, value: p.original };
    if (!o.found) errs.push({ ...where, rule: 'reversal.unknown', zh: `冲销的原结算单 "${p.original}" 不在本次导入或账簿中`, en: `the reversed claim "${p.original}" is neither in this import nor in the book` });
    else if (o.isReversal) errs.push(msg.reversalOfReversal(where));
    else if (o.alreadyReversed) errs.push({ ...where, rule: 'reversal.twice', zh: `"${p.original}" 已在账簿中被冲销过`, en: `"${p.original}" was already reversed in the book` });
    else if (!o.negates) errs.push(msg.reversalMismatch(where));
  }
  return errs;
}

// ---------------------------------------------------------------- close / clear / lock / supplement

export async function bookClose(store: BookStore, month: string, ctx: BookContext): Promise<{ state: BookState; lines: string[] }> {
  const book = await loadBook(store);
  {
    const errors = checkClose(book.state, month);
    if (errors.length > 0) throw new InputRejected(errors);
    const record = await computeMonth(book.state, book.store);
    const { state } = await commit(book, ctx, `close ${month}`, async () => [{ kind: 'close', at: ctx.now(), record }]);
    const f = (x: Fen) => formatYuan(x);
    return {
      state,
      lines: [
        `${month} 已月结：${record.claimRows.toLocaleString('en-US')} 行，拨付 ${f(record.paid)} 元（预拨 ${f(record.installment)}，工作量 ${f(record.workload)}，外转 ${f(record.outOfGroupDeductions)}，空间 ${f(record.room)}）`,
        `${month} closed: ${record.claimRows.toLocaleString('en-US')} rows, paid ${f(record.paid)} (installment ${f(record.installment)}, workload ${f(record.workload)}, out-of-group ${f(record.outOfGroupDeductions)}, room ${f(record.room)})`,
      ],
    };
  }
}

export async function bookClear(store: BookStore, ctx: BookContext): Promise<{ state: BookState; lines: string[] }> {
  const book = await loadBook(store);
  {
    const errors = checkClear(book.state);
    if (errors.length > 0) throw new InputRejected(errors);
    const clearing = clearingRecord(await computeClearing(book.state, book.store));
    const { state } = await commit(book, ctx, 'clear (draft)', async () => [{ kind: 'clear', at: ctx.now(), stamp: inputStamp(book.state), clearing }]);
    return { state, lines: clearingLines('清算草稿', 'Draft clearing', clearing.figures) };
  }
}

export async function bookLock(store: BookStore, ctx: BookContext): Promise<{ state: BookState; lines: string[] }> {
  const book = await loadBook(store);
  {
    const errors = checkLock(book.state);
    if (errors.length > 0) throw new InputRejected(errors);
    // The lock posts the clearing recomputed now; it must be the draft that was reviewed.
    const clearing = clearingRecord(await computeClearing(book.state, book.store));
    const draft = book.state.draft!;
    if (JSON.stringify(clearing.figures) !== JSON.stringify(draft.clearing.figures)) {
      throw bookError(store.dir, 'book.draftDiffers', '重新计算的清算与草稿不一致，请重新运行 book clear 并复核', 'the clearing recomputed now differs from the draft: run book clear again and review it');
    }
    const { state, posted } = await commit(book, ctx, 'lock', async () => [{ kind: 'lock', at: ctx.now(), stamp: inputStamp(book.state), clearing }]);
    return { state, lines: [...clearingLines('年终清算已锁定', 'Year-end clearing locked', clearing.figures), `分录 / transaction ${posted[0].seq} ${posted[0].hash}`] };
  }
}

/**
 * §12.5: settles the batches imported after the lock as differences, and delivers carry-forward differences to the
 * next year's book (§12.7). `warnings`: a delivery that could not be made now (the supplement itself stands).
 */
export async function bookSupplement(store: BookStore, ctx: BookContext): Promise<{ state: BookState; lines: string[]; posted: boolean; warnings: string[] }> {
  const book = await loadBook(store);
  {
    const s = book.state;
    const errors = checkSupplement(s);
    if (errors.length > 0) throw new InputRejected(errors);
    const stamp = inputStamp(s);
    if (stamp === s.postedStamp) {
      const delivered = await deliverToSuccessor(s, ctx);
      return {
        state: s,
        posted: false,
        lines: [...delivered.lines, '自上次清算过账以来没有新导入的批次，补充清算无需过账 / no batch imported since the last posting: the supplement posts nothing'],
        warnings: delivered.warnings,
      };
    }
    const clearing = clearingRecord(await computeClearing(s, book.store));
    const event = supplementEvent(s, clearing, ctx.now());
    const { difference, newBatches, index } = event;
    const { state, posted } = await commit(book, ctx, `supplement ${index}`, async () => [event]);
    const d = difference.settlement;
    const delivered = await deliverToSuccessor(state, ctx);
    return {
      state,
      posted: true,
      warnings: delivered.warnings,
      lines: [
        ...delivered.lines,
        `第 ${index} 次补充清算：${newBatches.length} 个新批次，年终清算拨付差额 ${formatYuan(d.yearEndPayment)} 元，医共体应得差额 ${formatYuan(d.groupTotal)} 元${isZeroDifference(difference) ? '（各项差额均为 0）' : ''}`,
        `Supplement ${index}: ${newBatches.length} new batch(es), year-end payment difference ${formatYuan(d.yearEndPayment)}, group total difference ${formatYuan(d.groupTotal)}${isZeroDifference(difference) ? ' (every difference is 0)' : ''}`,
        `分录 / transaction ${posted[0].seq} ${posted[0].hash}`,
      ],
    };
  }
}


import { formatFenGrouped } from '../domain/money.js';
import type { ClearingFigures } from '../book/clearing.js';
const formatYuan = formatFenGrouped;

/**
 * §12.7: posts each supplement's carry-forward difference into next year's book as an opening adjustment, once
 * (the successor remembers which supplements it has received, those in its opening included, so a delivery cut short
 * by a crash is simply made on the next `book supplement`). A successor that cannot take it now — moved away, or in
 * use — is a warning, never a silence: the supplement stands, and the next `book supplement` delivers it.
 */
async function deliverToSuccessor(s: BookState, ctx: BookContext): Promise<{ lines: string[]; warnings: string[] }> {
  const none = { lines: [], warnings: [] };
  if (s.successor === undefined) return none;
  const pending = s.supplements.filter((sp) => sp.difference.carryForward.closing !== 0);
  if (pending.length === 0) return none;
  const successor = s.successor;
  const sum = formatYuan(pending.reduce((a, sp) => a + sp.difference.carryForward.closing, 0));
  const notYet = (zh: string, en: string) => ({
    lines: [],
    warnings: [
      `警告：${zh}：本账簿各次补充清算的结转储备金差额（合计 ${sum} 元）无法计入下一年度账簿 ${successor} 的期初；补充清算本身已过账。处理后再次运行 book supplement，即补记其尚未收到的部分`,
      `Warning: ${en}: the carry-forward differences of this book's supplements (${sum} in all) cannot be posted into the opening of the next year's book ${successor}; the supplement itself is posted. Once that is fixed, run book supplement again to deliver what it has not received`,
    ],
  });
  if (!BookStore.exists(successor)) return notYet('下一年度账簿不在原处（已移动或删除？）', "the next year's book is not where it was (moved or deleted?)");
  try {
    return await withBook(successor, 'book supplement (carry-forward)', async (store) => {
      const next = await loadBook(store);
      const missing = pending.filter((sp) => !next.state.adjustedBy.includes(sp.index));
      if (missing.length === 0) return none;
      const head = s.journal[s.journal.length - 1].hash;
      const events: BookEvent[] = missing.map((sp) => ({
        kind: 'openingAdjustment',
        at: ctx.now(),
        amount: sp.difference.carryForward.closing,
        from: { dir: next.state.previous?.dir ?? '', supplement: sp.index, head },
      }));
      await commit(next, ctx, `opening adjustment from ${next.state.previous?.dir ?? ''}`, async () => events);
      return {
        lines: missing.map(
          (sp) =>
            `结转储备金差额 ${formatYuan(sp.difference.carryForward.closing)} 元已计入 ${next.state.year} 年度账簿期初 / carry-forward difference ${formatYuan(sp.difference.carryForward.closing)} posted into the ${next.state.year} book's opening`,
        ),
        warnings: [],
      };
    });
  } catch (e) {
    if (!(e instanceof InputRejected)) throw e;
    const why = e.errors.map((x) => x.zh).join('；');
    const whyEn = e.errors.map((x) => x.en).join('; ');
    return notYet(`下一年度账簿暂时无法写入（${why}）`, `the next year's book cannot be written now (${whyEn})`);
  }
}

function clearingLines(zh: string, en: string, f: ClearingFigures): string[] {
  const s = f.settlement;
  return [
    `${zh}：医共体应得 T ${formatYuan(s.groupTotal)}，已按月拨付 ${formatYuan(s.paid)}，年终清算拨付 Y ${formatYuan(s.yearEndPayment)} 元`,
    `${en}: group total T ${formatYuan(s.groupTotal)}, paid monthly ${formatYuan(s.paid)}, year-end payment Y ${formatYuan(s.yearEndPayment)}`,
  ];
}

export type { BookClaims };

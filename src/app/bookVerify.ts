// `book verify` (DOMAIN.md §12.6): the hash chain holds; every version's text and every batch's bytes match their
// SHA-256; every stored row is what the importer reads from the stored original file; and every transaction
// re-derives, with the engine's own code, from the stored versions and rows alone. Names the first thing that differs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { decodeText } from '../io/input.js';
import type { Claim } from '../domain/types.js';
import { clearingRecord, computeClearing, computeMonth } from '../book/compute.js';
import { type BookTransaction, canonicalJson, sha256Hex, transactionContent } from '../book/postings.js';
import { type BatchRecord, type BookEvent, type BookState, applyEvent, supplementEvent } from '../book/state.js';
import { type BookStore, claimCsvLine } from '../book/store.js';
import { versionLoader } from '../book/versions.js';

export interface VerifyReport {
  readonly ok: boolean;
  readonly lines: string[];
}

/** Verifies an open book (the CLI opens it with `withBook`; verify never trusts the stored fold). */
export async function bookVerify(store: BookStore): Promise<VerifyReport> {
  const lines: string[] = [];
  const fail = (zh: string, en: string) => {
    lines.push(`✗ ${zh} / ${en}`);
    return { ok: false, lines };
  };
  const stored = await store.transactions();
  // 1. The chain.
  for (let i = 0; i < stored.length; i++) {
    const t = stored[i];
    const prev = i === 0 ? '' : stored[i - 1].hash;
    if (t.seq !== i + 1 || t.prev !== prev || sha256Hex(t.content) !== t.hash || !t.content.includes(`"prev":${JSON.stringify(prev)}`)) {
      return fail(`分录 ${t.seq}（${t.kind}）的哈希链断开`, `transaction ${t.seq} (${t.kind}): the hash chain is broken`);
    }
  }
  lines.push(`✓ 哈希链完整，${stored.length} 笔分录 / hash chain holds over ${stored.length} transactions`);

  const events = await store.events();
  // 2. Versions and batches against their hashes; rows against the original files.
  for (const e of events) {
    const v = e.kind === 'open' || e.kind === 'amend' ? e.version : undefined;
    // The text as given is the kept bytes of the file (its SHA-256), decoded as the loader decodes them.
    const kept = v?.attachments?.find((a) => a.key === 'scenario' && a.sha256 === v.sha256);
    const keptText = kept && existsSync(store.filePath(kept.sha256)) ? decodeText(readFileSync(store.filePath(kept.sha256)))?.text : undefined;
    if (v && (keptText !== v.text || sha256Hex(v.resolved) !== v.resolvedSha256)) {
      return fail(`政策版本 ${v.index}（${v.file}）与其 SHA-256 不符`, `policy version ${v.index} (${v.file}) does not match its SHA-256`);
    }
    for (const a of v?.attachments ?? []) {
      const p = store.filePath(a.sha256);
      if (!existsSync(p) || createHash('sha256').update(readFileSync(p)).digest('hex') !== a.sha256) {
        return fail(`政策版本 ${v!.index} 的附件 ${a.file} 缺失或与其 SHA-256 不符`, `policy version ${v!.index}: attachment ${a.file} is missing or does not match its SHA-256`);
      }
    }
    if (e.kind !== 'import') continue;
    const b = e.batch;
    const path = store.filePath(b.sha256);
    if (!existsSync(path)) return fail(`批次 ${b.seq}（${b.file}）的原始文件缺失`, `batch ${b.seq} (${b.file}): the original file is missing`);
    if (createHash('sha256').update(readFileSync(path)).digest('hex') !== b.sha256) {
      return fail(`批次 ${b.seq}（${b.file}）的原始文件与其 SHA-256 不符`, `batch ${b.seq} (${b.file}): the original file does not match its SHA-256`);
    }
    const differs = await firstRowDifference(store, b);
    if (differs !== undefined) {
      return fail(`批次 ${b.seq}（${b.file}）第 ${differs} 行：账簿中存储的明细与原始文件不一致`, `batch ${b.seq} (${b.file}) row ${differs}: the stored row differs from the original file`);
    }
  }
  lines.push(`✓ 政策版本与批次均与其 SHA-256 相符，存储的明细与原始文件一致 / versions and batches match their SHA-256; stored rows match the original files`);

  // 3. Replay: every event recomputed from the stored inputs, every transaction re-derived.
  let state: BookState | undefined;
  let k = 0;
  for (const [i, e] of events.entries()) {
    const again = state === undefined ? e : await recompute(state, e, store);
    if (canonicalJson(again) !== canonicalJson(e)) {
      return fail(`事件 ${i + 1}（${e.kind}）与重新计算的结果不一致：${firstDifference(canonicalJson(e), canonicalJson(again))}`, `event ${i + 1} (${e.kind}) differs from its recomputation: ${firstDifference(canonicalJson(e), canonicalJson(again))}`);
    }
    const r = applyEvent(state, again, versionLoader(store.filesDir));
    for (const t of r.posted) {
      const s = stored[k++];
      const content = transactionContent(t.seq, t.prev, t);
      if (s === undefined || s.content !== content || s.hash !== t.hash) {
        return fail(
          `分录 ${t.seq}（${t.kind} ${t.date}）不能由存储的版本与批次重新得出${s ? '' : '（缺失）'}：${firstDifference(s?.content ?? '', content)}`,
          `transaction ${t.seq} (${t.kind} ${t.date}) does not re-derive from the stored versions and batches${s ? '' : ' (missing)'}: ${firstDifference(s?.content ?? '', content)}`,
        );
      }
    }
    state = r.state;
  }
  if (k !== stored.length) return fail(`账簿多出 ${stored.length - k} 笔无来源的分录`, `${stored.length - k} transaction(s) have no event behind them`);
  lines.push(`✓ ${k} 笔分录均由存储的版本与批次重新计算得出 / all ${k} transactions re-derive from the stored versions and batches`);
  return { ok: true, lines };
}

async function recompute(state: BookState, e: BookEvent, store: BookStore): Promise<BookEvent> {
  switch (e.kind) {
    case 'close':
      return { ...e, record: await computeMonth(state, store) };
    case 'clear':
    case 'lock':
      return { ...e, clearing: clearingRecord(await computeClearing(state, store)) };
    case 'supplement':
      return supplementEvent(state, clearingRecord(await computeClearing(state, store)), e.at);
    default:
      return e;
  }
}

const BLOCK = 4096;

/** Hashes of consecutive blocks of canonical lines (memory grows with blocks, not rows). */
class BlockHashes {
  readonly blocks: string[] = [];
  readonly firstRows: number[] = [];
  private hash = createHash('sha256');
  private n = 0;
  add(row: number, line: string): void {
    if (this.n === 0) this.firstRows.push(row);
    this.hash.update(line);
    if (++this.n === BLOCK) this.end();
  }
  end(): string[] {
    if (this.n > 0) {
      this.blocks.push(this.hash.digest('hex'));
      this.hash = createHash('sha256');
      this.n = 0;
    }
    return this.blocks;
  }
}

/**
 * The first row (as the file numbers it) where the stored rows and a fresh read of the original file differ:
 * both sides are hashed in blocks of rows; only a block that differs is read again, row by row.
 */
async function firstRowDifference(store: BookStore, batch: BatchRecord): Promise<number | undefined> {
  const seq = batch.seq;
  const source = store.originalSource(batch);
  const line = (c: Claim, row: number) => claimCsvLine(seq, row, Number(c.serviceDate.slice(5, 7)), c);
  const fromFile = new BlockHashes();
  const fromBook = new BlockHashes();
  await source.scan((c, at) => fromFile.add(at.row, line(c, at.row)));
  await store.scan({ throughBatch: seq, batch: seq }, (c, at) => fromBook.add(at.row, line(c, at.row)));
  const a = fromFile.end();
  const b = fromBook.end();
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  if (k === a.length && k === b.length) return undefined;
  // Read the differing block again from both sides and compare it row by row.
  const block = (rows: number[]) => (r: number) => r >= rows[k] && (k + 1 >= rows.length || r < rows[k + 1]);
  const inFile = block(fromFile.firstRows);
  const inBook = block(fromBook.firstRows);
  const fileLines: Array<[number, string]> = [];
  const bookLines: Array<[number, string]> = [];
  if (k < a.length) await source.scan((c, at) => inFile(at.row) && fileLines.push([at.row, line(c, at.row)]));
  if (k < b.length) await store.scan({ throughBatch: seq, batch: seq }, (c, at) => inBook(at.row) && bookLines.push([at.row, line(c, at.row)]));
  for (let i = 0; i < Math.max(fileLines.length, bookLines.length); i++) {
    const f = fileLines[i];
    const g = bookLines[i];
    if (f === undefined || g === undefined || f[0] !== g[0] || f[1] !== g[1]) return Math.min(f?.[0] ?? Infinity, g?.[0] ?? Infinity);
  }
  return fromFile.firstRows[k] ?? fromBook.firstRows[k];
}

/** A short excerpt around the first character where two texts differ. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `stored …${a.slice(from, i + 40)}… ≠ recomputed …${b.slice(from, i + 40)}…`;
}

export type { BookTransaction };

// The reader thread of csvThread.ts: reads a claims CSV file, splits it into records (CsvText), finds the header as
// the importer does (HeaderSearch) and checks the records in place (FastRowChecker), then sends the importer's thread,
// chunk by chunk and in file order: how many bytes were read (for progress) and, at the end, the file's SHA-256 (of
// the same raw bytes the importer's thread would hash), the encoded claims with the text
// their ids point into, and every other record as cells (title rows, the header, rows for RowChecker), with the
// text's errors. It decides nothing the importer's thread does not decide again: that thread offers the same header
// cells to its own HeaderSearch and checks the verdict is the same.
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { vocabulary, type ColumnMapping } from './columns.js';
import { readCsvFile, type BulkTaken, type RawRecord } from './csv.js';
import { loadRecordScan } from './recordScan.js';
import { FastRowChecker, MEMO_NAMES, newEncoded, type EncodedClaims, type MemoValues } from './fastRows.js';
import { HeaderSearch } from './rows.js';
import type { InputError } from '../domain/types.js';
import { ITEM_CLAIM, ITEM_ERROR, ITEM_HEADER, ITEM_ROW, type ChunkMessage, type ThreadInput } from './csvThread.js';

const input = workerData as ThreadInput;
const port = parentPort!;
const inFlight = new Int32Array(input.inFlight);

async function main(): Promise<void> {
  const vocab = vocabulary(input.mapping as ColumnMapping | undefined);
  const quiet = { add: (_e: InputError) => undefined };
  const search = new HeaderSearch(vocab, input.file, quiet);
  let fast: FastRowChecker | undefined;
  let values: MemoValues | undefined;
  const sent: Record<string, number> = {};

  // The message being built.
  let order: number[] = [];
  let enc: EncodedClaims = newEncoded(4096);
  let cells: { cells: string[]; row: number }[] = [];
  let errors: InputError[] = [];
  // The bytes the claims' id offsets point into (sent as bytes: copying them beats serialising their text).
  let textBytes: Uint8Array | undefined;

  const sink = {
    header(c: string[], row: number): boolean | 'next' {
      order.push(ITEM_HEADER);
      const item: { cells: string[]; row: number; verdict?: boolean | 'next' } = { cells: [...c], row };
      cells.push(item);
      const header = search.offer(c, row);
      item.verdict = header === 'next' ? 'next' : header !== undefined;
      if (header === 'next') return 'next';
      if (header === undefined) return false;
      fast = new FastRowChecker(header, vocab, input.rules, loadRecordScan());
      values = fast.values;
      for (const k of MEMO_NAMES) sent[k] = 0;
      return true;
    },
    row(c: string[], row: number): void {
      order.push(ITEM_ROW);
      cells.push({ cells: [...c], row });
    },
    bulk(r: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken): void {
      const before = enc.count;
      taken.pos = (fast as FastRowChecker).bulk(r, pos, n, row, delim, enc);
      taken.records = enc.count - before;
      if (taken.records === 0) return;
      if (textBytes === undefined) textBytes = new Uint8Array(r.bytes.subarray(0, r.text.length));
      for (let k = 0; k < taken.records; k++) order.push(ITEM_CLAIM);
    },
    record(r: RawRecord, row: number): boolean {
      if (!(fast as FastRowChecker).encode(r, row, enc)) return false;
      // A copy now: the reader moves its unread tail over these bytes once the chunk is read.
      if (textBytes === undefined) textBytes = new Uint8Array(r.bytes.subarray(0, r.text.length));
      order.push(ITEM_CLAIM);
      return true;
    },
  };
  const errorSink = {
    add(e: InputError): void {
      order.push(ITEM_ERROR);
      errors.push(e);
    },
  };

  const sha256 = createHash('sha256');
  const post = (raw: Uint8Array | undefined, final: boolean): void => {
    // At most a few chunks wait for the importer's thread: memory stays flat when it is the slower one.
    while (Atomics.load(inFlight, 0) >= input.maxInFlight) Atomics.wait(inFlight, 0, Atomics.load(inFlight, 0), 1000);
    Atomics.add(inFlight, 0, 1);
    const memo: Partial<Record<string, unknown[]>> = {};
    if (values !== undefined) {
      for (const k of MEMO_NAMES) {
        const all = values[k] as unknown[];
        if (all.length > sent[k]) {
          memo[k] = all.slice(sent[k]);
          sent[k] = all.length;
        }
      }
    }
    const nums = enc.nums; // handed over whole (transferred): a fresh one is made for the next chunk
    if (raw !== undefined) sha256.update(raw);
    const m: ChunkMessage = {
      bytes: raw === undefined ? 0 : raw.length,
      sha256: final ? sha256.digest('hex') : undefined,
      text: enc.count > 0 ? textBytes : undefined,
      order: Uint8Array.from(order),
      nums,
      count: enc.count,
      side: enc.side,
      cells,
      errors,
      memo,
      shape: fast?.shape,
      final,
    };
    const transfer: ArrayBuffer[] = [nums.buffer as ArrayBuffer, m.order.buffer as ArrayBuffer];
    if (m.text) transfer.push(m.text.buffer as ArrayBuffer);
    port.postMessage(m, transfer);
    order = [];
    enc = newEncoded(Math.max(4096, enc.count + (enc.count >> 2)));
    cells = [];
    errors = [];
    textBytes = undefined;
  };

  await readCsvFile(input.path, input.encoding, input.file, sink, errorSink, (raw) => post(raw, false), { chunk: input.chunk, fresh: true });
  post(undefined, true); // with the last errors (an unreadable file, no header)
}

main().catch((e) => {
  port.postMessage({ crash: e instanceof Error ? (e.stack ?? e.message) : String(e) });
});

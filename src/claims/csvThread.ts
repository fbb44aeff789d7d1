// A claims CSV file read on a second thread (csvWorker.ts): the reading, splitting and in-place checking of records
// and the claim-id ledger there (the ledger's state goes to that thread for the file and comes back at its end); the
// hash, the aggregation and every message here — on two cores, the two halves of `settle` overlap. The importer's
// thread sees what it would see reading the file itself (csv.ts readCsv with a FastRowChecker): the same header
// cells, the same rows as cells for RowChecker, the same claims in file order, the same errors, the same raw bytes.
// Used for files big enough to repay starting the thread, when the compiled worker exists (YIBAO_CSV_THREAD=
// always|never overrides, for tests and benchmarks).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Claim, InputError } from '../domain/types.js';
import type { ColumnMapping } from './columns.js';
import { CHUNK, type Encoding, type ReadContext, type TableSink } from './csv.js';
import { BytesIdTexts, ClaimDecoder, MEMO_NAMES, newEncoded, type EncodedClaims, type MemoValues } from './fastRows.js';
import type { LedgerState } from './ledger.js';
import type { ClaimShape, RunRules } from './rows.js';

export const ITEM_CLAIM = 0;
export const ITEM_HEADER = 1;
export const ITEM_ROW = 2;
export const ITEM_ERROR = 3;
export const ITEM_LEDGER_ERROR = 4;

/** What the reader thread is given. */
export interface ThreadInput {
  readonly path: string;
  readonly file: string;
  readonly encoding: Encoding;
  readonly mapping: ColumnMapping | undefined;
  readonly rules: RunRules;
  /** The claim-id ledger, kept on the reader thread while it reads the file (handed back with the last message). */
  readonly ledger: LedgerState;
  /** The last file of the run: the ledger's table stays on the thread (handOver(true)), no copy of it comes back. */
  readonly lastFile: boolean;
  readonly fileIndex: number;
  readonly chunk: number;
  readonly maxInFlight: number;
  readonly inFlight: SharedArrayBuffer;
}

/** One chunk's worth of the file, as the reader thread sends it. */
export interface ChunkMessage {
  /** The file's bytes read since the last message (for the SHA-256 and progress). */
  raw: Uint8Array | undefined;
  /** The text the claims' id offsets point into, as bytes (one character per byte). */
  text: Uint8Array | undefined;
  /** The items in file order: ITEM_* codes, each taking the next of its kind. */
  order: Uint8Array;
  nums: Float64Array;
  count: number;
  /** The ids the bulk tier copied out, which claims' id offsets from ID_TEXT on point into. */
  ids: Uint8Array;
  side: unknown[];
  /** Records as cells; a header candidate carries the reader thread's own verdict on it. */
  cells: { cells: string[]; row: number; verdict?: boolean | 'next' }[];
  errors: InputError[];
  /** The ledger's errors (ITEM_LEDGER_ERROR), with the index of the file each names. */
  ledgerErrors: { e: InputError; fileIndex: number }[];
  memo: Partial<Record<string, unknown[]>>;
  shape: ClaimShape | undefined;
  final: boolean;
  /** With the final message: the ledger's state. */
  ledger: LedgerState | undefined;
  crash?: string;
}

/** A message's arrays, handed back to the reader thread once read. */
export interface Recycled {
  nums: Float64Array;
  ids: Uint8Array;
}

/** A table sink that also takes claims checked on the reader thread. */
export interface ClaimTableSink extends TableSink {
  claim(claim: Claim, row: number): void;
}

const WORKER = new URL('./csvWorker.js', import.meta.url);
const MIN_BYTES = 8 << 20;

/** A reader thread started ahead of need (prestartReaderThread), for the next readCsvThreaded. */
let spare: Worker | undefined;

/**
 * Starts a reader thread ahead of need, so that it loads its modules and compiles the bulk tier while the command
 * reads its scenario; the next file read on a reader thread takes it. Left unused, it does not keep the process alive.
 */
export function prestartReaderThread(): void {
  if (spare !== undefined || process.env.YIBAO_CSV_THREAD === 'never' || !existsSync(fileURLToPath(WORKER))) return;
  const w = new Worker(WORKER);
  w.unref();
  w.once('error', () => {
    if (spare === w) spare = undefined;
  });
  spare = w;
}

/** Whether to read this file on a second thread. */
export function useReaderThread(path: string): boolean {
  const mode = process.env.YIBAO_CSV_THREAD;
  if (mode === 'never') return false;
  if (!existsSync(fileURLToPath(WORKER))) return false; // running from the TypeScript sources (tests)
  if (mode === 'always') return true;
  try {
    return statSync(path).size >= MIN_BYTES;
  } catch {
    return false;
  }
}

export function readCsvThreaded(
  path: string,
  encoding: Encoding,
  ctx: ReadContext,
  sink: ClaimTableSink,
  options: {
    mapping?: ColumnMapping;
    rules: RunRules;
    /** The ledger's state, handed to the reader thread for this file; the ledger's errors go to `ledgerReport`. */
    ledger: LedgerState;
    fileIndex: number;
    /** No file comes after this one (see ThreadInput.lastFile). */
    lastFile: boolean;
    ledgerReport: (e: InputError, fileIndex: number) => void;
  },
): Promise<LedgerState> {
  const inFlight = new SharedArrayBuffer(4);
  const counter = new Int32Array(inFlight);
  const input: ThreadInput = {
    path,
    file: ctx.file,
    encoding,
    mapping: options.mapping,
    rules: options.rules,
    ledger: options.ledger,
    lastFile: options.lastFile,
    fileIndex: options.fileIndex,
    chunk: CHUNK,
    maxInFlight: 6,
    inFlight,
  };
  const worker = spare ?? new Worker(WORKER);
  spare = undefined;
  worker.ref();
  worker.postMessage(input, [options.ledger.table.buffer as ArrayBuffer]);
  let stopped = false; // the sink wants no more records
  let decoder: ClaimDecoder | undefined;
  let values: MemoValues | undefined;
  const enc: EncodedClaims = newEncoded(0);
  return new Promise((resolve, reject) => {
    const fail = (e: unknown): void => {
      void worker.terminate();
      reject(e);
    };
    worker.on('error', fail);
    worker.on('message', (m: ChunkMessage) => {
      try {
        if (m.crash !== undefined) throw new Error(`CSV reader thread: ${m.crash}`);
        if (m.raw !== undefined) {
          ctx.hash?.update(m.raw);
          ctx.onBytes(m.raw.length);
        }
        if (m.shape !== undefined && decoder === undefined) {
          values = Object.fromEntries(MEMO_NAMES.map((k) => [k, []])) as unknown as MemoValues;
          decoder = new ClaimDecoder(m.shape, values);
        }
        if (values !== undefined) {
          for (const k of MEMO_NAMES) {
            const more = m.memo[k];
            if (more !== undefined) for (const v of more) (values[k] as unknown[]).push(v);
          }
        }
        enc.nums = m.nums;
        enc.count = m.count;
        enc.side = m.side;
        enc.ids = m.ids;
        enc.idsLength = m.ids.length;
        const texts = new BytesIdTexts(m.text, m.ids);
        let claims = 0;
        let cells = 0;
        let errors = 0;
        let ledgerErrors = 0;
        for (let i = 0; i < m.order.length; i++) {
          const kind = m.order[i];
          if (kind === ITEM_ERROR) {
            ctx.errors.add(m.errors[errors++]);
            continue;
          }
          if (kind === ITEM_LEDGER_ERROR) {
            const l = m.ledgerErrors[ledgerErrors++];
            options.ledgerReport(l.e, l.fileIndex);
            continue;
          }
          if (kind === ITEM_CLAIM) {
            const k = claims++;
            if (!stopped) sink.claim((decoder as ClaimDecoder).claim(enc, k, texts), ClaimDecoder.row(enc, k));
            continue;
          }
          const c = m.cells[cells++];
          if (stopped) continue;
          if (kind === ITEM_ROW) sink.row(c.cells, c.row);
          else {
            const verdict = sink.header(c.cells, c.row);
            // The reader thread checked the records as if the importer's verdict were its own: it must be.
            if (verdict !== c.verdict) throw new Error(`CSV reader thread: header verdict ${String(c.verdict)} ≠ ${String(verdict)} (row ${c.row})`);
            if (verdict === false) stopped = true;
          }
        }
        if (!m.final) {
          // The message's arrays go back to the reader thread, to be filled again (no new ones for every chunk).
          const back: Recycled = { nums: m.nums, ids: m.ids };
          enc.nums = new Float64Array(0);
          enc.ids = new Uint8Array(0);
          worker.postMessage(back, [m.nums.buffer as ArrayBuffer, m.ids.buffer as ArrayBuffer]);
        }
        Atomics.sub(counter, 0, 1);
        Atomics.notify(counter, 0);
        if (m.final) {
          void worker.terminate();
          resolve(m.ledger as LedgerState);
        }
      } catch (e) {
        fail(e);
      }
    });
  });
}

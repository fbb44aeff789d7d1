// The reader thread of csvThread.ts: reads a claims CSV file, splits it into records (CsvText), finds the header as
// the importer does (HeaderSearch), checks the records in place (FastRowChecker) and keeps the claim-id ledger
// (ledger.ts) for the file's rows. It sends the importer's thread, chunk by chunk and in file order: the raw bytes
// (for its SHA-256 and progress); the encoded claims with the text their ids point into; every other record as cells
// (title rows, the header, rows for RowChecker); the text's errors and the ledger's; at the end, the ledger's state.
// It decides nothing the importer's thread does not decide again: that thread offers the same header cells to its
// own HeaderSearch and checks the verdict is the same, and checks the rows sent as cells with its own RowChecker.
// The ledger sees what it would see on the importer's thread: every data row in file order, a valid one as its claim
// (RowChecker's verdict on a row sent as cells is computed here too: the same function of the same cells), an invalid
// one as its raw id.
import { parentPort } from 'node:worker_threads';
import { COLUMN_INDEX, vocabulary, type ColumnMapping } from './columns.js';
import { readCsvFile, type BulkTaken, type RawRecord } from './csv.js';
import { loadRecordScan } from './recordScan.js';
import { gb18030Once } from './gb18030.js';
import { ClaimDecoder, FastRowChecker, MEMO_NAMES, newEncoded, RecordIdTexts, type EncodedClaims, type LedgerRow, type MemoValues } from './fastRows.js';
import { STRIDE } from './scanLayout.js';
import { ClaimLedger } from './ledger.js';
import { HeaderSearch, RowChecker } from './rows.js';
import type { InputError } from '../domain/types.js';
import { ITEM_CLAIM, ITEM_ERROR, ITEM_HEADER, ITEM_LEDGER_ERROR, ITEM_ROW, type ChunkMessage, type Recycled, type ThreadInput } from './csvThread.js';

const port = parentPort!;
// Compiled while the thread waits for its file (it may be started ahead of need: csvThread.ts prestartReaderThread).
const scanModule = loadRecordScan();
// GB18030 → UTF-8, for the GB18030 files this thread reads.
const gb18030 = gb18030Once();

async function main(input: ThreadInput): Promise<void> {
  const inFlight = new Int32Array(input.inFlight);
  const vocab = vocabulary(input.mapping as ColumnMapping | undefined);
  const quiet = { add: (_e: InputError) => undefined };
  const search = new HeaderSearch(vocab, input.file, quiet);
  let fast: FastRowChecker | undefined;
  let values: MemoValues | undefined;
  const sent: Record<string, number> = {};
  let checker: RowChecker | undefined;
  let decoder: ClaimDecoder | undefined;
  let labels = { id: 'claim_id', reverses: 'reverses' };
  const idCol = COLUMN_INDEX.claim_id;
  const revCol = COLUMN_INDEX.reverses;
  const ledgerErrors: { e: InputError; fileIndex: number }[] = [];
  const ledger = ClaimLedger.continued(input.ledger, (e, fileIndex) => {
    order.push(ITEM_LEDGER_ERROR);
    ledgerErrors.push({ e, fileIndex });
  });
  const lr: LedgerRow = {
    claimId: '',
    reverses: '',
    institutionId: '',
    totalCost: 0,
    fundPaid: 0,
    patientPaid: 0,
    category: '',
    outOfRegion: false,
    setting: '',
    losDays: 0,
    drgCode: '',
    dipCode: '',
    referral: '',
    idHi: NaN,
    idLo: NaN,
    fingerprint: NaN,
    idS: 0,
    idE: 0,
  };
  /** Encoded claims from `from` on (their ids from byte `idsFrom` of enc.ids on) into the ledger. */
  const toLedger = (from: number, r: RawRecord, idsFrom: number): void => {
    const d = decoder as ClaimDecoder;
    const texts = new RecordIdTexts(r, enc, idsFrom);
    for (let k = from; k < enc.count; k++) {
      if (ClaimDecoder.inLedger(enc, k)) continue; // the bulk tier entered it (or listed it as a suspect)
      if (d.ledgerRowInIds(enc, k, texts, lr)) {
        ledger.addKnown(texts.ids, lr.idS, lr.idE, lr.idHi, lr.idLo, lr.fingerprint, input.file, input.fileIndex, ClaimDecoder.row(enc, k), labels);
        continue;
      }
      d.ledgerRow(enc, k, texts, lr);
      ledger.add(lr.claimId, lr.reverses, lr, input.file, input.fileIndex, ClaimDecoder.row(enc, k), labels, lr.idHi, lr.idLo);
    }
  };

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
      fast = new FastRowChecker(header, vocab, input.rules, scanModule);
      values = fast.values;
      decoder = new ClaimDecoder(fast.shape, values);
      checker = new RowChecker(header, vocab, input.file, quiet, input.rules);
      labels = { id: header.label[idCol], reverses: header.label[revCol] };
      fast.keepLedger({ ledger, file: input.file, fileIndex: input.fileIndex, column: labels.id });
      for (const k of MEMO_NAMES) sent[k] = 0;
      return true;
    },
    row(c: string[], row: number): void {
      order.push(ITEM_ROW);
      cells.push({ cells: [...c], row });
      // The importer's thread checks these cells with its own RowChecker (and reports what is wrong); the ledger
      // needs the same verdict here.
      const k = checker as RowChecker;
      const claim = k.check(c, row);
      if (claim) ledger.add(claim.claimId, claim.reverses, claim, input.file, input.fileIndex, row, labels);
      else ledger.add(k.code(c, idCol), k.code(c, revCol), undefined, input.file, input.fileIndex, row, labels);
    },
    bulk(r: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken): void {
      const f = fast as FastRowChecker;
      let records = 0;
      for (;;) {
        const before = enc.count;
        const idsBefore = enc.idsLength;
        pos = f.bulk(r, pos, n, row + records, delim, enc);
        const got = enc.count - before;
        for (let k = 0; k < got; k++) order.push(ITEM_CLAIM);
        // The rows the tier did not enter into the ledger itself (all, or a reversal it stopped after). Their ids
        // are in enc.ids: the text is not needed.
        toLedger(before, r, idsBefore);
        records += got;
        if (got === 0 || !f.yielded) break;
      }
      taken.pos = pos;
      taken.records = records;
    },
    record(r: RawRecord, row: number): boolean {
      if (!(fast as FastRowChecker).encode(r, row, enc)) return false;
      // A copy now: the reader moves its unread tail over these bytes once the chunk is read.
      if (textBytes === undefined) textBytes = new Uint8Array(r.bytes.subarray(0, r.length));
      order.push(ITEM_CLAIM);
      toLedger(enc.count - 1, r, enc.idsLength);
      return true;
    },
  };
  const errorSink = {
    add(e: InputError): void {
      order.push(ITEM_ERROR);
      errors.push(e);
    },
  };

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
    const state = final ? ledger.handOver(input.lastFile) : undefined;
    const m: ChunkMessage = {
      raw,
      text: textBytes,
      ids: enc.ids.subarray(0, enc.idsLength),
      order: Uint8Array.from(order),
      nums,
      count: enc.count,
      side: enc.side,
      cells,
      errors,
      ledgerErrors: ledgerErrors.splice(0),
      memo,
      shape: fast?.shape,
      final,
      ledger: state,
    };
    const transfer: ArrayBuffer[] = [nums.buffer as ArrayBuffer, m.order.buffer as ArrayBuffer];
    if (m.text) transfer.push(m.text.buffer as ArrayBuffer);
    transfer.push(enc.ids.buffer as ArrayBuffer);
    if (state) transfer.push(state.table.buffer as ArrayBuffer);
    if (raw) transfer.push(raw.buffer as ArrayBuffer);
    port.postMessage(m, transfer);
    order = [];
    enc = encodedFor(Math.max(4096, enc.count + (enc.count >> 2)));
    cells = [];
    errors = [];
    textBytes = undefined;
  };

  await readCsvFile(input.path, input.encoding, input.file, sink, errorSink, (raw) => post(raw, false), { chunk: input.chunk, fresh: true, gb18030 });
  post(undefined, true); // with the last errors (an unreadable file, no header)
}

/** Arrays the importer's thread handed back (csvThread.ts Recycled), to fill again. */
const recycled: Recycled[] = [];

/** Encoded claims for about `rows` rows: handed-back arrays when there are some (their old rows are overwritten). */
function encodedFor(rows: number): EncodedClaims {
  const r = recycled.pop();
  if (r === undefined || r.nums.length < rows * STRIDE) return newEncoded(rows);
  return { nums: r.nums, count: 0, ids: new Uint8Array(r.ids.buffer), idsLength: 0, side: [] };
}

// The first message is the file to read; the next ones hand back arrays.
port.once('message', (input: ThreadInput) => {
  port.on('message', (r: Recycled) => recycled.push(r));
  main(input).catch((e) => {
    port.postMessage({ crash: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  });
});

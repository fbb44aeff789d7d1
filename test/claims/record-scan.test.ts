// The bulk tier of the CSV fast path (recordScan.ts + wasm/recordScan.ts) against the JavaScript path alone, record
// by record: CsvText is fed the same bytes in random chunk sizes, once with the module and once without, and must
// hand its sink the same sequence — claims (field for field, in the same key order), rows as cells for RowChecker,
// row numbers and the claim-id hashes and fingerprints the ledger uses. Records straddle chunks; files mix plain rows with everything
// the tier must hand back (quotes, reversals, spaces, other amounts, lone CRs, blank lines, cells beyond ASCII).
// The module is built by `npm run build` (npm test runs it first): a missing module fails here, not silently.
// With a claim-id ledger (the reader thread's way, recordScan.ts keepLedger), the module enters the rows it takes into
// the ledger's table itself: the ledger must end as the JavaScript path's ledger ends — the same messages, suspects
// and count — with duplicate ids, reversals before and after their originals, a table that grows, and a record long
// enough to push the table up in the module's memory.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vocabulary } from '../../src/claims/columns.js';
import { CsvText, TableReader, type BulkTaken, type RawRecord, type TableSink } from '../../src/claims/csv.js';
import { fingerprint, H, hash64, pricingHash } from '../../src/claims/fields.js';
import { ClaimDecoder, FastRowChecker, newEncoded, RecordIdTexts, type EncodedClaims, type LedgerRow } from '../../src/claims/fastRows.js';
import { ClaimLedger } from '../../src/claims/ledger.js';
import { loadRecordScan } from '../../src/claims/recordScan.js';
import { HeaderSearch, RowChecker, type Header, type RunRules } from '../../src/claims/rows.js';
import { COLUMN_INDEX } from '../../src/claims/columns.js';
import { copyOfClaim, type InputError } from '../../src/domain/types.js';

const MODULE = loadRecordScan();
const RULES: RunRules = { year: 2024, members: ['H01', 'T01', 'T02', 'V01'] };

const HEADER = [
  'claim_id', 'patient_id', 'category', 'institution_id', 'out_of_region', 'setting', 'service_date', 'los_days', 'drg_code',
  'dip_code', 'total_cost', 'fund_paid', 'patient_paid', 'reverses', 'referral', 'referred_from', 'contract_type',
  'critical_paid', 'assistance_paid', 'other_paid',
];

type Item = { kind: 'claim'; row: number; claim: string; hi: number; lo: number; fp: number } | { kind: 'row'; row: number; cells: string[] };

/** Feeds `bytes` to `sink` through CsvText and TableReader in chunks of the given sizes (cycled). */
function readInChunks(sink: TableSink, error: (e: InputError) => void, bytes: Uint8Array, chunks: readonly number[]): void {
  let text: CsvText | undefined = undefined;
  const reader = new TableReader(sink, { add: error }, () => text?.stop());
  text = new CsvText('auto', 'f.csv', reader, 64);
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = chunks[k % chunks.length];
    text.push(bytes.slice(at, at + size));
    at += size;
  }
  text.end();
}

/** Reads `bytes` in chunks of the given sizes (cycled) through CsvText, with or without the module. */
function read(bytes: Uint8Array, chunks: readonly number[], module: WebAssembly.Module | undefined) {
  const items: Item[] = [];
  let fast: FastRowChecker | undefined;
  let decoder: ClaimDecoder | undefined;
  let bulkRows = 0;
  const enc: EncodedClaims = newEncoded(1);
  const take = (r: RawRecord) => {
    const texts = new RecordIdTexts(r, enc);
    for (let k = 0; k < enc.count; k++) {
      const hi = ClaimDecoder.idHashHi(enc, k);
      const claim = (decoder as ClaimDecoder).claim(enc, k, texts);
      if (Number.isNaN(hi)) hash64(claim.claimId);
      // The ledger's inputs: the id hash and the fingerprint, computed by the tier or here.
      const lr = { fingerprint: NaN } as LedgerRow;
      (decoder as ClaimDecoder).ledgerRow(enc, k, texts, lr);
      const fp = Number.isNaN(lr.fingerprint) ? fingerprint(claim.institutionId, claim.totalCost, claim.fundPaid, claim.patientPaid, pricingHash(claim)) : lr.fingerprint;
      const known = { fingerprint: NaN } as LedgerRow;
      if ((decoder as ClaimDecoder).ledgerRowInIds(enc, k, texts, known)) expect(texts.ids.slice(known.idS, known.idE)).toBe(claim.claimId);
      // A copy (copyOfClaim) is the claim as plain fields: the same keys in the same order, no getters.
      const copy = copyOfClaim(claim);
      expect(Object.keys(copy)).toEqual(Object.keys(claim));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(claim));
      expect(Object.values(Object.getOwnPropertyDescriptors(copy)).every((d) => 'value' in d)).toBe(true);
      items.push({ kind: 'claim', row: ClaimDecoder.row(enc, k), claim: JSON.stringify(claim), hi: Number.isNaN(hi) ? H.hi : hi, lo: Number.isNaN(hi) ? H.lo : ClaimDecoder.idHashLo(enc, k), fp });
    }
    enc.count = 0;
    enc.idsLength = 0;
    enc.side.length = 0;
  };
  const sink: TableSink = {
    header(cells, row) {
      const h = new HeaderSearch(vocabulary(undefined), 'f.csv', { add: () => undefined }).offer(cells, row);
      if (h === undefined || h === 'next') return h ?? false;
      fast = new FastRowChecker(h as Header, vocabulary(undefined), RULES, module);
      decoder = new ClaimDecoder(fast.shape, fast.values);
      return true;
    },
    row(cells, row) {
      items.push({ kind: 'row', row, cells: [...cells] });
    },
    record(r: RawRecord, row: number) {
      if (!(fast as FastRowChecker).encode(r, row, enc)) return false;
      take(r);
      return true;
    },
    bulk(r: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken) {
      taken.pos = (fast as FastRowChecker).bulk(r, pos, n, row, delim, enc);
      taken.records = enc.count;
      bulkRows += enc.count;
      take(r);
    },
  };
  const errors: unknown[] = [];
  readInChunks(sink, (e) => errors.push(e), bytes, chunks);
  return { items, errors, bulkRows };
}

/**
 * Reads `bytes` as the reader thread does (csvWorker.ts): every row into a claim-id ledger of `expectedRows`, the
 * module (when given) entering the rows it takes itself. Returns what the ledger reports and holds at the end.
 */
function readIntoLedger(bytes: Uint8Array, chunks: readonly number[], module: WebAssembly.Module | undefined, expectedRows: number) {
  const reports: string[] = [];
  const ledger = new ClaimLedger(expectedRows, (e) => reports.push(`${e.row} ${e.rule} ${e.value}`));
  const vocab = vocabulary(undefined);
  let fast: FastRowChecker | undefined;
  let decoder: ClaimDecoder | undefined;
  let checker: RowChecker | undefined;
  const labels = { id: 'claim_id', reverses: 'reverses' };
  const enc: EncodedClaims = newEncoded(1);
  let inModule = 0;
  const lr = { fingerprint: NaN } as LedgerRow;
  const toLedger = (r: RawRecord) => {
    const texts = new RecordIdTexts(r, enc);
    const d = decoder as ClaimDecoder;
    for (let k = 0; k < enc.count; k++) {
      if (ClaimDecoder.inLedger(enc, k)) {
        inModule++;
        continue;
      }
      if (d.ledgerRowInIds(enc, k, texts, lr)) {
        ledger.addKnown(texts.ids, lr.idS, lr.idE, lr.idHi, lr.idLo, lr.fingerprint, 'f.csv', 0, ClaimDecoder.row(enc, k), labels);
        continue;
      }
      d.ledgerRow(enc, k, texts, lr);
      ledger.add(lr.claimId, lr.reverses, lr, 'f.csv', 0, ClaimDecoder.row(enc, k), labels, lr.idHi, lr.idLo);
    }
    enc.count = 0;
    enc.idsLength = 0;
    enc.side.length = 0;
  };
  const sink: TableSink = {
    header(cells, row) {
      const h = new HeaderSearch(vocab, 'f.csv', { add: () => undefined }).offer(cells, row);
      if (h === undefined || h === 'next') return h ?? false;
      fast = new FastRowChecker(h as Header, vocab, RULES, module);
      decoder = new ClaimDecoder(fast.shape, fast.values);
      checker = new RowChecker(h as Header, vocab, 'f.csv', { add: () => undefined }, RULES);
      if (module !== undefined) expect(fast.keepLedger({ ledger, file: 'f.csv', fileIndex: 0, column: labels.id })).toBe(true);
      return true;
    },
    row(cells, row) {
      const k = checker as RowChecker;
      const claim = k.check(cells, row);
      if (claim) ledger.add(claim.claimId, claim.reverses, claim, 'f.csv', 0, row, labels);
      else ledger.add(k.code(cells, COLUMN_INDEX.claim_id), k.code(cells, COLUMN_INDEX.reverses), undefined, 'f.csv', 0, row, labels);
    },
    record(r: RawRecord, row: number) {
      if (!(fast as FastRowChecker).encode(r, row, enc)) return false;
      toLedger(r);
      return true;
    },
    bulk(r: RawRecord, pos: number, n: number, row: number, delim: number, taken: BulkTaken) {
      const f = fast as FastRowChecker;
      let records = 0;
      for (;;) {
        pos = f.bulk(r, pos, n, row + records, delim, enc);
        const got = enc.count;
        toLedger(r);
        records += got;
        if (got === 0 || !f.yielded) break;
      }
      taken.pos = pos;
      taken.records = records;
    },
  };
  readInChunks(sink, (e) => reports.push(`error ${e.row} ${e.rule}`), bytes, chunks);
  ledger.finish();
  const suspects = ledger.suspects.map((s) => `${s.row} ${s.id} ${s.column}`);
  const state = ledger.handOver();
  const held: string[] = [];
  for (let i = 0; i < state.slots; i++) if (state.table[i * 3 + 2] !== 0) held.push(`${state.table[i * 3]}/${state.table[i * 3 + 1]}/${state.table[i * 3 + 2]}`);
  return { reports, suspects, size: state.size, slots: state.slots, held: held.sort(), inModule };
}

const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;

const plainRow = fc
  .record({
    id: fc.integer({ min: 1, max: 99999 }),
    category: fc.constantFrom('employee', 'resident', '居民'),
    institution: fc.constantFrom('H01', 'T01', 'V01', 'X01'),
    oor: fc.constantFrom('false', 'true', '', '是'),
    setting: fc.constantFrom('inpatient', 'outpatient', '住院'),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    los: fc.integer({ min: -6, max: 30 }), // below 0: empty
    drg: fc.constantFrom('', 'ES21', 'FR23'),
    dip: fc.constantFrom('', 'I63.9'),
    total: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 4_000_000_000, max: 10_000_000_000 })), // past 2^32 fen too
    share: fc.integer({ min: 0, max: 100 }),
    patientEmpty: fc.boolean(),
    referral: fc.constantFrom('', 'up', '上转'),
    from: fc.constantFrom('', 'T01'),
    contract: fc.constantFrom('', '家庭医生'),
    critical: fc.integer({ min: 0, max: 100 }),
  })
  .map((r) => {
    const fund = Math.floor((r.total * r.share) / 200);
    const critical = Math.min(r.critical, r.total - fund);
    return [
      `C${r.id}`, `P${r.id % 7}`, r.category, r.institution, r.oor, r.setting,
      `2024-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`, r.los < 0 ? '' : String(r.los), r.drg, r.dip,
      yuan(r.total), yuan(fund), r.patientEmpty ? '' : yuan(r.total - fund - critical), '', r.referral, r.from, r.contract,
      yuan(critical), '', '',
    ];
  });

/** Cells the tier must hand back (or that the checks refuse), and cells it takes that look odd. */
const tricky = fc.constantFrom(
  '', ' ', ' H01', 'Ｈ０１', 'h01', '\u200bH01', 'C1 ', 'Ｃ1', 'C\u00e91', '1,234.50', '+1.00', '12.', '-0.00', '-5.00',
  '1.234', '0.5', '00012.30', '.5', ' 3.00', '１２', '9999999999999.99', '99999999.99', '100000000.00', '100000000.01',
  '12345678901234', '2024/3/5', '20240305', '2023-12-31', '2024-02-30', ' 2024-03-05', 'INPATIENT', '　住院', 'TRUE', 'sideways',
  'ES21 ', 'ｅｓ２１', '7', '0', '-1', '3.5', '1234567', 'C3', '"quoted"', 'a"b', '建档立卡', 'x'.repeat(200),
);

const file = fc.record({
  rows: fc.array(plainRow, { minLength: 1, maxLength: 40 }),
  edits: fc.array(fc.tuple(fc.nat(), fc.nat(), tricky), { maxLength: 8 }),
  reversal: fc.option(fc.nat(), { nil: undefined }),
  reversalKind: fc.constantFrom('plain', 'self', 'positive'), // a reversal of itself, or with positive amounts: refused
  breaks: fc.array(fc.tuple(fc.nat(), fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n')), { maxLength: 3 }),
  eol: fc.constantFrom('\n', '\r\n'),
  shortRow: fc.option(fc.nat(), { nil: undefined }),
  chunks: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
  finalEol: fc.boolean(),
});

describe('the bulk tier of the CSV fast path', () => {
  it('is built (npm run build compiles wasm/recordScan.ts)', () => {
    expect(MODULE).toBeDefined();
  });

  it('hands the sink what the JavaScript path hands it, on random files read in random chunks', () => {
    let taken = 0;
    let total = 0;
    fc.assert(
      fc.property(file, (f) => {
        const rows = f.rows.map((r) => [...r]);
        for (const [r, c, v] of f.edits) rows[r % rows.length][c % HEADER.length] = v;
        if (f.reversal !== undefined) {
          const o = rows[f.reversal % rows.length];
          const rev = [...o];
          rev[0] = `${o[0]}R`;
          if (f.reversalKind !== 'positive') for (const i of [10, 11, 12, 17]) rev[i] = rev[i] === '' ? '' : `-${rev[i]}`;
          rev[13] = f.reversalKind === 'self' ? rev[0] : o[0];
          rows.push(rev);
        }
        if (f.shortRow !== undefined) rows[f.shortRow % rows.length].length = 12; // fewer cells than the header
        const lines = [HEADER.join(','), ...rows.map((r) => r.join(','))].map((l, i, all) => {
          const br = f.breaks.find(([at]) => at % all.length === i);
          return l + (br ? br[1] : f.eol);
        });
        let all = lines.join('');
        if (!f.finalEol) all = all.replace(/(\r\n|\n|\r)+$/, '');
        const bytes = Buffer.from(all, 'utf8');
        const withModule = read(bytes, f.chunks, MODULE);
        const without = read(bytes, f.chunks, undefined);
        expect(withModule.items).toEqual(without.items);
        expect(withModule.errors).toEqual(without.errors);
        expect(without.bulkRows).toBe(0);
        taken += withModule.bulkRows;
        total += withModule.items.length;
      }),
      { numRuns: 300 },
    );
    // Not vacuous: the tier took most rows.
    expect(taken).toBeGreaterThan(total / 3);
  });

  it('enters the rows it takes into the claim-id ledger as the JavaScript path does: duplicates, reversals, growth', () => {
    let entered = 0;
    const idOf = fc.integer({ min: 1, max: 60 }); // few ids: many duplicates
    const ledgerFile = fc.record({
      rows: fc.array(fc.tuple(plainRow, idOf), { minLength: 30, maxLength: 150 }),
      // Reversals (冲销) of row a, placed d rows after it (or before it, d < 0: the ledger then waits for the original);
      // some with the id of another claim.
      reversals: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -30, max: 200 }), fc.constantFrom('R', 'R', 'S')), { maxLength: 6 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.nat(), tricky), { maxLength: 4 }),
      chunks: fc.array(fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 20000 })), { minLength: 1, maxLength: 4 }),
      expectedRows: fc.constantFrom(0, 10, 1000),
    });
    fc.assert(
      fc.property(ledgerFile, (f) => {
        const rows = f.rows.map(([r, id]) => {
          const c = [...r];
          c[0] = `C${id}`;
          return c;
        });
        const body = [...rows];
        f.reversals.forEach(([a, d, tag], j) => {
          const o = rows[a % rows.length];
          const rev = [...o];
          rev[0] = tag === 'S' ? `C${(a % 60) + 1}` : `${o[0]}${tag}${j % 2}`; // 'S': a reversal whose id is taken too
          for (const i of [10, 11, 12, 17]) rev[i] = rev[i] === '' ? '' : `-${rev[i]}`;
          rev[13] = o[0];
          const at = body.indexOf(o) + (d < 0 ? d : d + 1);
          body.splice(Math.max(0, Math.min(body.length, at)), 0, rev);
        });
        for (const [r, c, v] of f.edits) body[r % body.length][c % HEADER.length] = v;
        const bytes = Buffer.from([HEADER.join(','), ...body.map((r) => r.join(','))].join('\n') + '\n', 'utf8');
        const withModule = readIntoLedger(bytes, f.chunks, MODULE, f.expectedRows);
        const without = readIntoLedger(bytes, f.chunks, undefined, f.expectedRows);
        expect(withModule.reports).toEqual(without.reports);
        expect(withModule.suspects).toEqual(without.suspects);
        expect(withModule.size).toBe(without.size);
        expect(withModule.size).toBeLessThanOrEqual(withModule.slots * 0.75); // (the two may grow at different rows)
        expect(withModule.held).toEqual(without.held);
        expect(without.inModule).toBe(0);
        entered += withModule.inModule;
      }),
      { numRuns: 200 },
    );
    expect(entered).toBeGreaterThan(3000); // not vacuous: the module entered rows itself (≈ 7000 of ≈ 18000)
  });

  it('keeps the ledger in its memory past a record longer than its room for text, and as the table grows', () => {
    const rows: string[] = [HEADER.join(',')];
    const line = (i: number, id = `C${i}`) => `${id},P${i % 9},employee,H01,false,outpatient,2024-03-05,0,,,120.50,80.00,40.50,,,,,,,`;
    for (let i = 0; i < 5000; i++) rows.push(line(i));
    rows.push(`"${'长'.repeat(1_500_000)}",P1,employee,H01,false,outpatient,2024-03-05,0,,,1.00,1.00,0.00,,,,,,,`); // 4.5 MB
    for (let i = 5000; i < 9000; i++) rows.push(line(i, i % 1000 === 0 ? `C${i - 4990}` : `C${i}`)); // a few duplicates
    const bytes = Buffer.from(rows.join('\n') + '\n', 'utf8');
    const withModule = readIntoLedger(bytes, [1 << 18], MODULE, 100); // 100 expected: the table grows
    const without = readIntoLedger(bytes, [1 << 18], undefined, 100);
    expect(withModule.inModule).toBeGreaterThan(8000);
    expect(withModule.suspects).toEqual(without.suspects);
    expect(withModule.suspects).toHaveLength(4);
    expect(withModule.reports).toEqual(without.reports);
    expect(withModule.size).toBe(without.size);
    expect(withModule.held).toEqual(without.held);
    expect(withModule.slots).toBeGreaterThan(1024);
  });

  it('takes runs of plain rows and stops at the first record it does not take', () => {
    const lines = [
      HEADER.join(','),
      'C1,P1,employee,H01,false,inpatient,2024-03-05,7,ES21,,12000.50,8400.35,3600.15,,,,,,,',
      'C2,P2,居民,T01,否,门诊,2024-03-06,0,,,235.00,120.00,,,up,T01,家庭医生,,,',
      'C1R,P1,employee,H01,false,inpatient,2024-03-08,7,ES21,,-12000.50,-8400.35,-3600.15,C1,,,,,,', // a reversal: taken
      'C9,P9,resident,V01,false,outpatient,2024-03-07,0,,,88.,60.00,28.00,,,,,,,', // "88." (= 88.00): handed back
      'C3,P3,resident,V01,false,outpatient,2024-03-07,0,,,88.80,60.00,28.80,,,,,,,',
    ];
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const r = read(bytes, [bytes.length], MODULE);
    expect(r.items.map((i) => [i.kind, i.row])).toEqual([
      ['claim', 2],
      ['claim', 3],
      ['claim', 4],
      ['claim', 5],
      ['claim', 6],
    ]);
    expect(r.bulkRows).toBe(4);
    expect(JSON.parse((r.items[2] as { claim: string }).claim)).toMatchObject({ claimId: 'C1R', reverses: 'C1', totalCost: -1200050, patientPaid: -360015 });
    expect(JSON.parse((r.items[3] as { claim: string }).claim)).toMatchObject({ claimId: 'C9', totalCost: 8800 });
    const c2 = JSON.parse((r.items[1] as { claim: string }).claim);
    expect(c2).toMatchObject({ claimId: 'C2', category: 'resident', institutionId: 'T01', setting: 'outpatient', patientPaid: 11500, referral: 'up' });
    hash64('C2');
    expect([(r.items[1] as { hi: number }).hi, (r.items[1] as { lo: number }).lo]).toEqual([H.hi, H.lo]);
  });
});

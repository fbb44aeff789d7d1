// The bulk tier of the CSV fast path (recordScan.ts + wasm/recordScan.ts) against the JavaScript path alone, record
// by record: CsvText is fed the same bytes in random chunk sizes, once with the module and once without, and must
// hand its sink the same sequence — claims (field for field, in the same key order), rows as cells for RowChecker,
// row numbers and the claim-id hashes and fingerprints the ledger uses. Records straddle chunks; files mix plain rows with everything
// the tier must hand back (quotes, reversals, spaces, other amounts, lone CRs, blank lines, cells beyond ASCII).
// The module is built by `npm run build` (npm test runs it first): a missing module fails here, not silently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vocabulary } from '../../src/claims/columns.js';
import { CsvText, TableReader, type BulkTaken, type RawRecord, type TableSink } from '../../src/claims/csv.js';
import { fingerprint, H, hash64 } from '../../src/claims/fields.js';
import { ClaimDecoder, FastRowChecker, newEncoded, RecordIdTexts, type EncodedClaims, type LedgerRow } from '../../src/claims/fastRows.js';
import { loadRecordScan } from '../../src/claims/recordScan.js';
import { HeaderSearch, type Header, type RunRules } from '../../src/claims/rows.js';

const MODULE = loadRecordScan();
const RULES: RunRules = { year: 2024, members: ['H01', 'T01', 'T02', 'V01'] };

const HEADER = [
  'claim_id', 'patient_id', 'category', 'institution_id', 'out_of_region', 'setting', 'service_date', 'los_days', 'drg_code',
  'dip_code', 'total_cost', 'fund_paid', 'patient_paid', 'reverses', 'referral', 'referred_from', 'contract_type',
  'critical_paid', 'assistance_paid', 'other_paid',
];

type Item = { kind: 'claim'; row: number; claim: string; hi: number; lo: number; fp: number } | { kind: 'row'; row: number; cells: string[] };

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
      const fp = Number.isNaN(lr.fingerprint) ? fingerprint(claim.institutionId, claim.totalCost, claim.fundPaid, claim.patientPaid) : lr.fingerprint;
      const known = { fingerprint: NaN } as LedgerRow;
      if ((decoder as ClaimDecoder).ledgerRowInIds(enc, k, texts, known)) expect(texts.ids.slice(known.idS, known.idE)).toBe(claim.claimId);
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
  let text: CsvText | undefined = undefined;
  const reader = new TableReader(sink, { add: (e) => errors.push(e) }, () => text?.stop());
  text = new CsvText('auto', 'f.csv', reader, 64);
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = chunks[k % chunks.length];
    text.push(bytes.slice(at, at + size));
    at += size;
  }
  text.end();
  return { items, errors, bulkRows };
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

// AssemblyScript, compiled to dist/claims/recordScan.wasm by `npm run build` (asc; see package.json). The bulk tier of
// the CSV fast path (src/claims/recordScan.ts is its JavaScript side): it reads whole records of a claims CSV text
// in place and writes each one it takes as an encoded claim, exactly as FastRowChecker.encode would write it.
//
// It takes only the plainest records and hands every other one back, untouched, to the JavaScript path: a record
// with a quote, a lone CR, a blank or non-ASCII first cell; an id that is not visible ASCII; an amount that is not
// plain digits with at most two decimals (a '-' before them on a reversal row); days that are not plain digits; a memo cell it has not been
// told the entry of (it asks, see NEED); and any row the checks would refuse. A memo cell's meaning is never decided
// here: the JavaScript side registers (memo, raw bytes) → entry with the value RowChecker's functions give that text.
//
// On the reader thread it also enters the plain rows it takes into the claim-id ledger (src/claims/ledger.ts), whose
// table the JavaScript side then keeps in this memory (see P_LEDGER): the same probe, the same slots, in row order.
//
// Memory (bytes): [0, 1024) control; TABLE: the memo keys' hash table; ARENA: their bytes; FLAGS: per setting entry,
// 1 for inpatient; OUT: encoded rows (STRIDE f64 each); IDS: their ids; SUSPECTS: rows whose id the ledger had seen;
// TEXT: the CSV text, copied in by the JavaScript side; past it, the ledger's table when it is kept here.

// The layout the JavaScript side shares (src/claims/scanLayout.ts: the encoded claim, and the control block as i32
// indices, here turned into byte offsets).
import * as L from '../src/claims/scanLayout';
import { STRIDE, F_ROW, F_ID, F_PATIENT_ID, F_REVERSES, F_INSTITUTION, F_CATEGORY, F_FLAG, F_SETTING, F_DATE, F_LOS } from '../src/claims/scanLayout';
import { F_DRG, F_DIP, F_TOTAL, F_FUND, F_PATIENT, F_CRITICAL, F_ASSISTANCE, F_OTHER, F_REFERRAL, F_FROM, F_CONTRACT } from '../src/claims/scanLayout';
import { F_ID_HASH, F_FINGERPRINT, MAX_CELLS, FIELDS } from '../src/claims/scanLayout';

// Control block (byte offsets): parameters, set once per header, then the result of the last scan.
const P_DELIM: i32 = L.P_DELIM << 2;
const P_CELLS: i32 = L.P_CELLS << 2;
const P_FUND_COLUMNS: i32 = L.P_FUND_COLUMNS << 2;
const P_REFERRAL_COLUMN: i32 = L.P_REFERRAL_COLUMN << 2;
const P_FROM_COLUMN: i32 = L.P_FROM_COLUMN << 2;
const P_CONTRACT_COLUMN: i32 = L.P_CONTRACT_COLUMN << 2;
const P_MAX_CELL: i32 = L.P_MAX_CELL << 2;
/** The claim-id ledger's table (ledger.ts: [hi, lo, meta] u32 per slot) for this scan, or 0: no ledger. */
const P_LEDGER: i32 = L.P_LEDGER << 2;
const P_LEDGER_SLOTS: i32 = L.P_LEDGER_SLOTS << 2;
/** How many more ids the table takes (the JavaScript side keeps its load ≤ 0.75): a scan stops (FULL) when as many rows wait. */
const P_LEDGER_ROOM: i32 = L.P_LEDGER_ROOM << 2;
const P_ROLES: i32 = L.P_ROLES << 2;
const R_POS: i32 = L.R_POS << 2;
const R_ROWS: i32 = L.R_ROWS << 2;
const R_NEED_MEMO: i32 = L.R_NEED_MEMO << 2;
const R_NEED_S: i32 = L.R_NEED_S << 2;
const R_NEED_E: i32 = L.R_NEED_E << 2;
const R_ARENA_USED: i32 = L.R_ARENA_USED << 2;
const R_KEYS: i32 = L.R_KEYS << 2;
const R_IDS: i32 = L.R_IDS << 2;
const R_INSERTED: i32 = L.R_INSERTED << 2;
const R_SUSPECTS: i32 = L.R_SUSPECTS << 2; // (their indices at SUSPECTS)
const S_FIELD: i32 = L.S_FIELD << 2;

// Fields.
const CLAIM_ID: i32 = 0;
const PATIENT_ID: i32 = 1;
const REVERSES: i32 = 2;
const INSTITUTION: i32 = 3;
const CATEGORY: i32 = 4;
const SETTING: i32 = 5;
const FLAG: i32 = 6;
const DATE: i32 = 7;
const LOS: i32 = 8;
const REFERRAL: i32 = 9;
const TOTAL: i32 = 10;
const FUND: i32 = 11;
const PATIENT: i32 = 12;
const CRITICAL: i32 = 13;
const ASSISTANCE: i32 = 14;
const OTHER: i32 = 15;
const DRG: i32 = 16;
const DIP: i32 = 17;
const FROM: i32 = 18;
const CONTRACT: i32 = 19;
// Memos (the JavaScript side's MEMO_IDS).
const M_INSTITUTION: i32 = 0;
const M_CATEGORY: i32 = 1;
const M_SETTING: i32 = 2;
const M_FLAG: i32 = 3;
const M_DATE: i32 = 4;
const M_REFERRAL: i32 = 5;
const M_DRG: i32 = 6;
const M_DIP: i32 = 7;
const M_FROM: i32 = 8;
const M_CONTRACT: i32 = 9;

/** Per memo, its last key found (a key of up to 16 bytes): k1 u64, k2 u64, length + 1 i32 (0: none), entry i32. */
const LAST_KEY: i32 = 1024;
const TABLE: i32 = 2048;
const TABLE_BITS: i32 = 16;
const TABLE_SLOTS: i32 = 1 << TABLE_BITS;
const SLOT: i32 = 32; // k1 u64, k2 u64, tag i32 (memo << 16 | length), entry + 1 i32 (0: empty), arena offset i32
const MAX_KEYS: i32 = TABLE_SLOTS >> 1;
const ARENA: i32 = TABLE + TABLE_SLOTS * SLOT;
const ARENA_SIZE: i32 = 2 << 20;
const FLAGS: i32 = ARENA + ARENA_SIZE;
const FLAGS_SIZE: i32 = 1 << 16;
/** Per memo and entry (memo << 16 | entry, u32 each): fields.ts institutionHash of its value's text (registered). */
const ENTRY_HASH: i32 = FLAGS + FLAGS_SIZE;
const MEMOS: i32 = 10;
const OUT: i32 = ENTRY_HASH + MEMOS * FLAGS_SIZE * 4;
const OUT_ROWS: i32 = 8192;
/** The ids of the rows written (claim id, then patient id, bytes), which their offsets point into. */
const IDS: i32 = OUT + OUT_ROWS * STRIDE * 8;
const IDS_SIZE: i32 = 1 << 20;
/** The output rows (i32 indices) whose claim id's hash was already in the ledger: suspected duplicates. */
const SUSPECTS: i32 = IDS + IDS_SIZE;
/** The rows to enter into the ledger at the end of a scan call: (hi, lo, meta) u32 each. */
const ENTER: i32 = SUSPECTS + OUT_ROWS * 4;
/** 16-byte aligned; the JavaScript side leaves 32 bytes of memory after the text (blocks are read 16 at a time). */
const TEXT: i32 = ENTER + OUT_ROWS * 12;
/** An id offset from ID_TEXT on is into the ids, not into the text. */
const ID_TEXT: f64 = <f64>L.ID_TEXT;
/** The longest id taken (scanLayout.ts MAX_CODE: a longer one goes to the JavaScript path, which refuses it). */
const MAX_ID: i32 = L.MAX_CODE;
/** The longest memo key kept (a longer cell goes to the JavaScript path). */
const MAX_KEY: i32 = 128;
/** fields.ts MAX_CLAIM_FEN. */
const MAX_CLAIM_FEN: i64 = 10_000_000_000;

// Results of scan.
/** Stopped at R_POS: the record there is not whole in the text, or is one for the JavaScript path. */
const STOP: i32 = 0;
/** The output is full: take the R_ROWS rows and scan again from R_POS. */
const FULL: i32 = 1;
/** The record at R_POS has a cell of memo R_NEED_MEMO, text[R_NEED_S, R_NEED_E), whose entry is not known. */
const NEED: i32 = 2;
/**
 * With a ledger: the last row written is a reversal, which this module does not enter (the JavaScript side's ledger
 * matches it with its original); enter it there, then scan again from R_POS.
 */
const YIELD: i32 = 3;
/** An encoded row's F_FINGERPRINT once the row is in the ledger (a fingerprint is ≥ 0). */
const IN_LEDGER: f64 = <f64>L.IN_LEDGER;
/** ledger.ts OCCUPIED: a slot's meta is OCCUPIED | fingerprint << 3 | flags (none for a valid row, not a reversal). */
const OCCUPIED: u32 = 0x80000000;

export function textBase(): i32 {
  return TEXT;
}
export function outBase(): i32 {
  return OUT;
}
export function idsBase(): i32 {
  return IDS;
}
export function suspectsBase(): i32 {
  return SUSPECTS;
}

/** The low n bytes of v (n in 0..8). */
@inline function low(v: u64, n: i32): u64 {
  return n >= 8 ? v : v & (((1 as u64) << ((n as u64) << 3)) - 1);
}

// A memo key: its first 16 bytes as two words (the rest compared byte by byte), tagged with memo and length.
let k1: u64 = 0;
let k2: u64 = 0;
function keyOf(s: i32, len: i32): u32 {
  k1 = len == 0 ? 0 : low(load<u64>(s), len);
  k2 = len <= 8 ? 0 : low(load<u64>(s + 8), len - 8);
  let h = k1 * 0x9e3779b97f4a7c15 + k2 * 0xc2b2ae3d27d4eb4f;
  h ^= h >> 29;
  return (h >> 32) as u32;
}

/** The slot of memo's key at s (absolute address) of len bytes, or of the empty slot where it would go. */
function slotOf(memo: i32, s: i32, len: i32): i32 {
  const tag = (memo << 16) | len;
  const h = keyOf(s, len) ^ ((tag as u32) * 0x85ebca6b);
  let i = (h >> (32 - TABLE_BITS)) as i32;
  for (;;) {
    const slot = TABLE + i * SLOT;
    if (load<i32>(slot, 20) == 0) return slot;
    if (load<i32>(slot, 16) == tag && load<u64>(slot) == k1 && load<u64>(slot, 8) == k2) {
      if (len <= 16) return slot;
      const a = load<i32>(slot, 24);
      let same = true;
      for (let j = 16; j < len; j++) {
        if (load<u8>(a + j) != load<u8>(s + j)) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
    i = (i + 1) & (TABLE_SLOTS - 1);
  }
  return unreachable(); // the table is at most half full: the probe always ends
}

/** The entry registered for memo's key text[s, e) (absolute addresses), or -1. */
@inline function lookup(memo: i32, s: i32, e: i32): i32 {
  return load<i32>(slotOf(memo, s, e - s), 20) - 1;
}

/**
 * `lookup`, first asking the memo's last key found (neighbouring rows often share a member, a category, a setting…):
 * a key of up to 16 bytes is its two words and its length. Only keys found are kept (an entry never changes).
 */
function lookupLast(memo: i32, s: i32, e: i32): i32 {
  const len = e - s;
  if (len > 16) return lookup(memo, s, e);
  const a = LAST_KEY + (memo << 5);
  const w1 = len == 0 ? 0 : low(load<u64>(s), len);
  const w2 = len <= 8 ? 0 : low(load<u64>(s + 8), len - 8);
  if (load<i32>(a, 16) == len + 1 && load<u64>(a) == w1 && load<u64>(a, 8) == w2) return load<i32>(a, 20);
  const entry = lookup(memo, s, e);
  if (entry >= 0) {
    store<u64>(a, w1);
    store<u64>(a, w2, 8);
    store<i32>(a, len + 1, 16);
    store<i32>(a, entry, 20);
  }
  return entry;
}

/**
 * Registers memo's key text[s, e) (offsets in the text) as `entry` (≥ 0), with `flag` (the setting memo: 1 for
 * inpatient). Returns 0 when the table or its arena is full (the key stays unknown: its rows go to the JavaScript
 * path), 1 when registered.
 */
export function register(memo: i32, s: i32, e: i32, entry: i32, flag: i32, hash: i32): i32 {
  const len = e - s;
  const keys = load<i32>(R_KEYS);
  const used = load<i32>(R_ARENA_USED);
  if (entry < 0 || entry >= FLAGS_SIZE || len > MAX_KEY || keys >= MAX_KEYS || used + len > ARENA_SIZE) return 0;
  const a = TEXT + s;
  const slot = slotOf(memo, a, len);
  if (load<i32>(slot, 20) != 0) return 1;
  store<u64>(slot, k1);
  store<u64>(slot, k2, 8);
  store<i32>(slot, (memo << 16) | len, 16);
  store<i32>(slot, entry + 1, 20);
  if (len > 16) {
    memory.copy(ARENA + used, a, len);
    store<i32>(slot, ARENA + used, 24);
    store<i32>(R_ARENA_USED, used + len);
  }
  store<i32>(R_KEYS, keys + 1);
  if (memo == M_SETTING) store<u8>(FLAGS + entry, flag as u8);
  store<i32>(ENTRY_HASH + (((memo << 16) | entry) << 2), hash);
  return 1;
}

@inline function fieldS(f: i32): i32 {
  return load<i32>(S_FIELD + (f << 3));
}
@inline function fieldE(f: i32): i32 {
  return load<i32>(S_FIELD + (f << 3), 4);
}

/** An id cell: non-empty visible ASCII (its own normal form as a code). */
function plainId(s: i32, e: i32): bool {
  if (s == e) return false;
  for (let p = s; p < e; p++) {
    const c = load<u8>(p);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// fields.ts hash64 of an id of bytes below 0x80 (its characters), as two 32-bit halves.
let idHi: u32 = 0;
let idLo: u32 = 0;
/** plainId, computing the id's hash64 (idHi, idLo) in the same pass. */
function plainIdHashed(s: i32, e: i32): bool {
  if (s == e) return false;
  let h1: u32 = 0xdeadbeef;
  let h2: u32 = 0x41c6ce57;
  for (let p = s; p < e; p++) {
    const c = load<u8>(p) as u32;
    if (c <= 0x20 || c >= 0x7f) return false;
    h1 = (h1 ^ c) * 2654435761;
    h2 = (h2 ^ c) * 1597334677;
  }
  h1 = (h1 ^ (h1 >>> 16)) * 2246822507;
  h1 ^= (h2 ^ (h2 >>> 13)) * 3266489909;
  h2 = (h2 ^ (h2 >>> 16)) * 2246822507;
  h2 ^= (h1 ^ (h1 >>> 13)) * 3266489909;
  idHi = h1;
  idLo = h2;
  return true;
}

/** Copies an id's `len` bytes 8 at a time (it may read and write up to 7 bytes past them: there is room for that). */
@inline function copyId(to: i32, from: i32, len: i32): void {
  for (let j = 0; j < len; j += 8) store<u64>(to + j, load<u64>(from + j));
}

@inline function mix(h: u32, v: u32): u32 {
  h = (h ^ v) * 0x5bd1e995;
  return h ^ (h >>> 15);
}

/** The hash registered with memo's entry (fields.ts institutionHash of its value's text). */
@inline function entryHash(memo: i32, entry: i32): u32 {
  return load<u32>(ENTRY_HASH + (((memo << 16) | entry) << 2));
}

/** fields.ts institutionHash(''): a row without a referral column reads as referral ''. */
const EMPTY_HASH: u32 = 0x9747b28c;

/** fields.ts pricingHashOf for the current row (its memo entries, and its days). */
function pricingHash(los: i32): u32 {
  let h: u32 = 0x1b873593;
  h = mix(h, entryHash(M_CATEGORY, eCategory));
  h = mix(h, entryHash(M_FLAG, eFlag));
  h = mix(h, entryHash(M_SETTING, eSetting));
  h = mix(h, los as u32);
  h = mix(h, entryHash(M_DRG, eDrg));
  h = mix(h, entryHash(M_DIP, eDip));
  h = mix(h, eReferral < 0 ? EMPTY_HASH : entryHash(M_REFERRAL, eReferral));
  return h;
}

/** fields.ts fingerprintOf, for amounts ≥ 0. */
function fingerprint(institution: u32, total: i64, fund: i64, patient: i64, pricing: u32): u32 {
  let h = institution;
  h = mix(h, pricing);
  h = mix(h, total as u32);
  h = mix(h, (total >> 32) as u32);
  h = mix(h, fund as u32);
  h = mix(h, (fund >> 32) as u32);
  h = mix(h, patient as u32);
  h = mix(h, (patient >> 32) as u32);
  h = (h ^ (h >>> 16)) * 0x85ebca6b;
  h ^= h >>> 13;
  return h & 0x0fffffff;
}

/** What `amount` returns for a cell it does not take. */
const NO_AMOUNT: i64 = -(1 << 62);

/**
 * Plain digits with at most two decimals, at most 13 before the point, as fen: RowChecker's amount for such a cell;
 * on a reversal row (`reversal`) also with a leading '-' (and then ≤ 0, as the checks want; a reversal's positive
 * amount is refused). NO_AMOUNT when the cell is not such an amount.
 */
function amount(s: i32, e: i32, reversal: bool): i64 {
  if (s == e) return NO_AMOUNT;
  const negative = reversal && load<u8>(s) == 45;
  let p = negative ? s + 1 : s;
  const digitsFrom = p;
  let int: i64 = 0;
  for (; p < e; p++) {
    const c = load<u8>(p);
    if (c < 48 || c > 57) break;
    int = int * 10 + ((c - 48) as i64);
  }
  const digits = p - digitsFrom;
  if (digits == 0 || digits > 13) return NO_AMOUNT;
  let frac: i64 = 0;
  if (p < e) {
    if (load<u8>(p) != 46) return NO_AMOUNT;
    p++;
    const fd = e - p;
    if (fd < 1 || fd > 2) return NO_AMOUNT;
    for (; p < e; p++) {
      const c = load<u8>(p);
      if (c < 48 || c > 57) return NO_AMOUNT;
      frac = frac * 10 + ((c - 48) as i64);
    }
    if (fd == 1) frac *= 10;
  }
  const fen = int * 100 + frac;
  if (fen > MAX_CLAIM_FEN) return NO_AMOUNT;
  if (reversal && !negative && fen != 0) return NO_AMOUNT; // a reversal's amounts are ≤ 0
  return negative ? -fen : fen;
}

/** An optional amount: 0 when empty, NO_AMOUNT when not a plain amount. */
function optionalAmount(f: i32, reversal: bool): i64 {
  const s = fieldS(f);
  const e = fieldE(f);
  return s == e ? 0 : amount(s, e, reversal);
}

@inline function abs64(v: i64): i64 {
  return v < 0 ? -v : v;
}

/** Whether two cells hold the same bytes. */
function sameBytes(a: i32, ae: i32, b: i32, be: i32): bool {
  if (ae - a != be - b) return false;
  for (let j = 0; j < ae - a; j++) if (load<u8>(a + j) != load<u8>(b + j)) return false;
  return true;
}

/**
 * Enters output row `k`'s claim id hash (hi, lo) into the ledger's table as ledger.ts ClaimLedger.flush does: from
 * the home slot (a multiply-shift of a 32-bit mix of the hash), linear probing to the first empty slot or the same
 * hash — then a suspect, listed at SUSPECTS and not entered. A scan enters at most P_LEDGER_ROOM rows, so the load
 * stays ≤ 0.75 and an empty slot is always found.
 */
function enterLedger(table: i32, slots: u32, k: i32, hi: u32, lo: u32, meta: u32): bool {
  let i = ((((lo ^ (hi * 0x9e3779b1)) as u64) * (slots as u64)) >> 32) as u32;
  for (;;) {
    const b = table + ((i * 12) as i32);
    if (load<u32>(b, 8) == 0) {
      store<u32>(b, hi);
      store<u32>(b, lo, 4);
      store<u32>(b, meta, 8);
      return true;
    }
    if (load<u32>(b) == hi && load<u32>(b, 4) == lo) {
      const n = load<i32>(R_SUSPECTS);
      store<i32>(SUSPECTS + (n << 2), k);
      store<i32>(R_SUSPECTS, n + 1);
      return false;
    }
    i = i + 1 == slots ? 0 : i + 1;
  }
  return unreachable();
}

// The memo cell being looked up, for NEED.
let needMemo: i32 = 0;
let needS: i32 = 0;
let needE: i32 = 0;

/** Field f's memo entry, or -1 (unknown or too long: needMemo/needS/needE say which cell). */
function memoOf(f: i32, memo: i32): i32 {
  const s = fieldS(f);
  const e = fieldE(f);
  needMemo = memo;
  needS = s;
  needE = e;
  if (e - s > MAX_KEY) return -2;
  return lookupLast(memo, s, e);
}

// The separator iterator: the delimiters, line ends and quotes of the text, found 16 bytes at a time (SIMD). `blk`
// is the block being read, `bits` its separators not yet taken (bit i: blk + i).
let blk: i32 = 0;
let bits: i32 = 0;
let vDelim: v128 = i8x16.splat(44);

@inline function separators(b: i32, end: i32): i32 {
  const v = v128.load(b);
  let m = i8x16.bitmask(
    v128.or(v128.or(i8x16.eq(v, vDelim), i8x16.eq(v, i8x16.splat(10))), v128.or(i8x16.eq(v, i8x16.splat(13)), i8x16.eq(v, i8x16.splat(34)))),
  );
  if (b + 16 > end) m &= (1 << (end - b)) - 1;
  return m;
}

/** Starts the iterator at address p. */
function seek(p: i32, end: i32): void {
  blk = p & ~15;
  bits = blk < end ? separators(blk, end) & (-1 << (p - blk)) : 0;
}

/** The address of the next separator, or -1 when the text has no more. */
@inline function nextSeparator(end: i32): i32 {
  while (bits == 0) {
    blk += 16;
    if (blk >= end) return -1;
    bits = separators(blk, end);
  }
  const x = blk + ctz(bits);
  bits &= bits - 1;
  return x;
}

@inline function setField(f: i32, s: i32, e: i32): void {
  store<i32>(S_FIELD + (f << 3), s);
  store<i32>(S_FIELD + (f << 3), e, 4);
}

// The current row's memo entries (memoEntries).
let eInstitution: i32 = 0;
let eCategory: i32 = 0;
let eSetting: i32 = 0;
let eFlag: i32 = 0;
let eDate: i32 = 0;
let eReferral: i32 = -1;
let eDrg: i32 = 0;
let eDip: i32 = 0;
let eFrom: i32 = -1;
let eContract: i32 = -1;

/** Looks up the row's memo cells (e* globals, -1 for a column the header lacks); false at the first one not known. */
function memoEntries(referralColumn: bool, fromColumn: bool, contractColumn: bool): bool {
  if ((eInstitution = memoOf(INSTITUTION, M_INSTITUTION)) < 0) return false;
  if ((eCategory = memoOf(CATEGORY, M_CATEGORY)) < 0) return false;
  if ((eSetting = memoOf(SETTING, M_SETTING)) < 0) return false;
  if ((eFlag = memoOf(FLAG, M_FLAG)) < 0) return false;
  if ((eDate = memoOf(DATE, M_DATE)) < 0) return false;
  eReferral = -1;
  if (referralColumn && (eReferral = memoOf(REFERRAL, M_REFERRAL)) < 0) return false;
  if ((eDrg = memoOf(DRG, M_DRG)) < 0) return false;
  if ((eDip = memoOf(DIP, M_DIP)) < 0) return false;
  eFrom = -1;
  if (fromColumn && (eFrom = memoOf(FROM, M_FROM)) < 0) return false;
  eContract = -1;
  if (contractColumn && (eContract = memoOf(CONTRACT, M_CONTRACT)) < 0) return false;
  return true;
}

/**
 * Reads records from text offset `pos` of the `n` bytes at TEXT and writes the ones it takes at OUT, the first as
 * row `row`. Returns STOP, FULL or NEED, with R_POS (the first record not taken) and R_ROWS (rows written).
 */
export function scan(pos: i32, n: i32, row: i32, idsBase: i32): i32 {
  const delim = load<i32>(P_DELIM);
  vDelim = i8x16.splat(delim as i8);
  const end = TEXT + n;
  let p = TEXT + pos;
  let rows = 0;
  let ids = 0; // bytes written at IDS
  let status = STOP;
  const fundColumns = load<i32>(P_FUND_COLUMNS) != 0;
  const referralColumn = load<i32>(P_REFERRAL_COLUMN) != 0;
  const fromColumn = load<i32>(P_FROM_COLUMN) != 0;
  const contractColumn = load<i32>(P_CONTRACT_COLUMN) != 0;
  const maxCell = load<i32>(P_MAX_CELL);
  const ledger = load<i32>(P_LEDGER);
  const slots = load<u32>(P_LEDGER_SLOTS);
  const room = load<i32>(P_LEDGER_ROOM);
  let inserted = 0;
  store<i32>(R_SUSPECTS, 0);
  // A column the header does not have reads as an empty cell.
  for (let f = 0; f < FIELDS; f++) if (load<i32>(P_CELLS + (f << 2)) < 0) setField(f, TEXT, TEXT);
  seek(p, end);
  for (;;) {
    if (rows == OUT_ROWS || ids + 3 * MAX_ID + 8 > IDS_SIZE || (ledger != 0 && rows == room)) {
      status = FULL;
      break;
    }
    const start = p;
    if (start >= end) break;
    // The first cell must start with a visible ASCII character (TableReader's test for a record read in place).
    const c0 = load<u8>(start);
    if (c0 <= 32 || c0 >= 127 || c0 == (delim as u8) || c0 == 34) break;
    // Cells: the fields' boundaries.
    let cell = 0;
    let cs = start;
    let next = 0;
    for (;;) {
      const x = nextSeparator(end);
      if (x < 0) break; // not whole in this text
      const c = load<u8>(x);
      if (c == 34) break; // a quote: RFC 4180 cells are read by the JavaScript path
      if (cell < MAX_CELLS) {
        const f = load<i32>(P_ROLES + (cell << 2));
        if (f >= 0) setField(f, cs, x);
      }
      if (c == (delim as u8)) {
        cell++;
        cs = x + 1;
        continue;
      }
      if (c == 10) next = x + 1;
      else if (x + 1 < end && load<u8>(x + 1) == 10) {
        next = x + 2; // CRLF (a lone CR goes to the JavaScript path)
        nextSeparator(end); // the LF
      }
      break;
    }
    if (next == 0) break;
    // A record with fewer cells than the header: the missing ones read as empty.
    if (cell < maxCell) {
      for (let f = 0; f < FIELDS; f++) if (load<i32>(P_CELLS + (f << 2)) > cell) setField(f, TEXT, TEXT);
    }
    if (!plainIdHashed(fieldS(CLAIM_ID), fieldE(CLAIM_ID))) break;
    if (!plainId(fieldS(PATIENT_ID), fieldE(PATIENT_ID))) break;
    if (fieldE(CLAIM_ID) - fieldS(CLAIM_ID) > MAX_ID || fieldE(PATIENT_ID) - fieldS(PATIENT_ID) > MAX_ID) break;
    // A reversal (冲销): its original's id, plain too, and not its own.
    const reversal = fieldS(REVERSES) != fieldE(REVERSES);
    if (reversal) {
      if (!plainId(fieldS(REVERSES), fieldE(REVERSES)) || fieldE(REVERSES) - fieldS(REVERSES) > MAX_ID) break;
      if (sameBytes(fieldS(REVERSES), fieldE(REVERSES), fieldS(CLAIM_ID), fieldE(CLAIM_ID))) break;
    }
    if (!memoEntries(referralColumn, fromColumn, contractColumn)) {
      status = NEED;
      break;
    }
    const setting = eSetting;
    let los = 0;
    const ls = fieldS(LOS);
    const le = fieldE(LOS);
    if (ls == le) {
      if (load<u8>(FLAGS + setting) != 0) break; // an inpatient stay needs its days
    } else {
      if (le - ls > 6) break;
      for (let k = ls; k < le; k++) {
        const c = load<u8>(k);
        if (c < 48 || c > 57) {
          los = -1;
          break;
        }
        los = los * 10 + (c - 48);
      }
      if (los < 0) break;
    }
    const total = amount(fieldS(TOTAL), fieldE(TOTAL), reversal);
    const fund = amount(fieldS(FUND), fieldE(FUND), reversal);
    if (total == NO_AMOUNT || fund == NO_AMOUNT) break;
    const ps = fieldS(PATIENT);
    const pe = fieldE(PATIENT);
    const recorded = ps != pe;
    const patientRecorded = recorded ? amount(ps, pe, reversal) : 0;
    if (patientRecorded == NO_AMOUNT) break;
    let critical: i64 = 0;
    let assistance: i64 = 0;
    let other: i64 = 0;
    if (fundColumns) {
      critical = optionalAmount(CRITICAL, reversal);
      assistance = optionalAmount(ASSISTANCE, reversal);
      other = optionalAmount(OTHER, reversal);
      if (critical == NO_AMOUNT || assistance == NO_AMOUNT || other == NO_AMOUNT) break;
    }
    // rows.ts amountsRule.
    const funds = fund + critical + assistance + other;
    const t = abs64(total);
    if (abs64(fund) > t || abs64(funds) > t) break;
    let patient: i64;
    if (recorded) {
      if (funds + patientRecorded != total) break;
      patient = patientRecorded;
    } else patient = total - funds;

    const o = OUT + rows * (STRIDE << 3);
    store<f64>(o + (F_ROW << 3), (row + rows) as f64);
    const cl = fieldE(CLAIM_ID) - fieldS(CLAIM_ID);
    const pl = fieldE(PATIENT_ID) - fieldS(PATIENT_ID);
    copyId(IDS + ids, fieldS(CLAIM_ID), cl);
    copyId(IDS + ids + cl, fieldS(PATIENT_ID), pl);
    const at = ID_TEXT + ((idsBase + ids) as f64);
    store<f64>(o + (F_ID << 3), at);
    store<f64>(o + ((F_ID + 1) << 3), at + (cl as f64));
    store<f64>(o + (F_PATIENT_ID << 3), at + (cl as f64));
    store<f64>(o + ((F_PATIENT_ID + 1) << 3), at + ((cl + pl) as f64));
    ids += cl + pl;
    if (reversal) {
      const rl = fieldE(REVERSES) - fieldS(REVERSES);
      copyId(IDS + ids, fieldS(REVERSES), rl);
      const r = ID_TEXT + ((idsBase + ids) as f64);
      store<f64>(o + (F_REVERSES << 3), r);
      store<f64>(o + ((F_REVERSES + 1) << 3), r + (rl as f64));
      ids += rl;
    } else {
      store<f64>(o + (F_REVERSES << 3), 0);
      store<f64>(o + ((F_REVERSES + 1) << 3), 0);
    }
    store<f64>(o + (F_INSTITUTION << 3), eInstitution as f64);
    store<f64>(o + (F_CATEGORY << 3), eCategory as f64);
    store<f64>(o + (F_FLAG << 3), eFlag as f64);
    store<f64>(o + (F_SETTING << 3), eSetting as f64);
    store<f64>(o + (F_DATE << 3), eDate as f64);
    store<f64>(o + (F_LOS << 3), los as f64);
    store<f64>(o + (F_DRG << 3), eDrg as f64);
    store<f64>(o + (F_DIP << 3), eDip as f64);
    store<f64>(o + (F_TOTAL << 3), total as f64);
    store<f64>(o + (F_FUND << 3), fund as f64);
    store<f64>(o + (F_PATIENT << 3), patient as f64);
    store<f64>(o + (F_CRITICAL << 3), critical as f64);
    store<f64>(o + (F_ASSISTANCE << 3), assistance as f64);
    store<f64>(o + (F_OTHER << 3), other as f64);
    store<f64>(o + (F_REFERRAL << 3), eReferral as f64);
    store<f64>(o + (F_FROM << 3), eFrom as f64);
    store<f64>(o + (F_CONTRACT << 3), eContract as f64);
    store<f64>(o + (F_ID_HASH << 3), idHi as f64);
    store<f64>(o + ((F_ID_HASH + 1) << 3), idLo as f64);
    const fp = fingerprint(entryHash(M_INSTITUTION, eInstitution), total, fund, patient, pricingHash(los));
    store<f64>(o + (F_FINGERPRINT << 3), fp as f64);
    rows++;
    p = next;
    if (ledger != 0) {
      if (reversal) {
        status = YIELD;
        break;
      }
      const q = ENTER + (rows - 1) * 12;
      store<u32>(q, idHi);
      store<u32>(q, idLo, 4);
      store<u32>(q, OCCUPIED | (fp << 3), 8);
      store<f64>(o + (F_FINGERPRINT << 3), IN_LEDGER);
    }
  }
  if (ledger != 0) {
    // Entered after the scan, in row order, in a loop of their own: its probes' cache misses overlap (inline, one
    // row's parsing between two probes, each waited for its own).
    const last = status == YIELD ? rows - 1 : rows;
    for (let k = 0; k < last; k++) {
      const q = ENTER + k * 12;
      if (enterLedger(ledger, slots, k, load<u32>(q), load<u32>(q, 4), load<u32>(q, 8))) inserted++;
    }
  }
  store<i32>(R_POS, p - TEXT);
  store<i32>(R_ROWS, rows);
  store<i32>(R_IDS, ids);
  store<i32>(R_INSERTED, inserted);
  if (status == NEED) {
    store<i32>(R_NEED_MEMO, needMemo);
    store<i32>(R_NEED_S, needS - TEXT);
    store<i32>(R_NEED_E, needE - TEXT);
  }
  return status;
}

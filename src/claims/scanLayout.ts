// The layout shared by the CSV fast path's bulk tier (wasm/recordScan.ts, AssemblyScript) and its JavaScript side
// (recordScan.ts, fastRows.ts): tsc compiles this file into dist/ and asc into the module, so each number is written
// once. Plain integer constants only: AssemblyScript reads each as an i32.

// An encoded claim: STRIDE numbers (f64). Id cells are text offsets [s, e), or from ID_TEXT on offsets into the ids
// the bulk tier copied out (EncodedClaims.ids), or s = -1 - i for side[i]; memo cells are entries, or -2 - i for
// side[i] (fastRows.ts).
export const STRIDE = 27;
export const F_ROW = 0;
export const F_ID = 1; // and F_ID + 1
export const F_PATIENT_ID = 3; // and + 1
export const F_REVERSES = 5; // and + 1
export const F_INSTITUTION = 7;
export const F_CATEGORY = 8;
export const F_FLAG = 9;
export const F_SETTING = 10;
export const F_DATE = 11;
export const F_LOS = 12;
export const F_DRG = 13;
export const F_DIP = 14;
export const F_TOTAL = 15;
export const F_FUND = 16;
export const F_PATIENT = 17;
export const F_CRITICAL = 18;
export const F_ASSISTANCE = 19;
export const F_OTHER = 20;
export const F_REFERRAL = 21;
export const F_FROM = 22;
export const F_CONTRACT = 23;
export const F_ID_HASH = 24; // and + 1: fields.ts hash64 of the claim id (hi, lo), or NaN when not computed
export const F_FINGERPRINT = 26; // fields.ts fingerprintOf the row, NaN when not computed, IN_LEDGER when entered
/** An id offset from here on is into the ids the bulk tier copied out, not into the text. */
export const ID_TEXT = 1 << 30;
/** F_FINGERPRINT of a row the module entered into the claim-id ledger itself. */
export const IN_LEDGER = -1;

// The module's control block, as i32 indices (the module's byte offset is 4 × the index): parameters, set once per
// header, then the result of the last scan call.
export const P_DELIM = 0;
export const P_CELLS = 1; // FIELDS i32: the cell index of each field, -1 when the header has no such column
export const P_FUND_COLUMNS = 25;
export const P_REFERRAL_COLUMN = 26;
export const P_FROM_COLUMN = 27;
export const P_CONTRACT_COLUMN = 28;
export const P_MAX_CELL = 29; // the largest cell index of a field
// The claim-id ledger's table in the module's memory (0: none), its slots, and how many more ids it may take.
export const P_LEDGER = 30;
export const P_LEDGER_SLOTS = 31;
export const P_ROLES = 32; // MAX_CELLS i32: the field of each cell index, -1 for none
export const P_LEDGER_ROOM = 96; // (after P_ROLES)
export const R_POS = 128;
export const R_ROWS = 129;
export const R_NEED_MEMO = 130;
export const R_NEED_S = 131;
export const R_NEED_E = 132;
export const R_ARENA_USED = 133;
export const R_KEYS = 134;
export const R_IDS = 135;
export const R_INSERTED = 136; // rows entered into the ledger
export const R_SUSPECTS = 137; // of which rows whose id hash the ledger already held
export const S_FIELD = 160; // the module's own: FIELDS × (s, e) i32, the current record's cells by field
/** The parameters and results the JavaScript side clears for a new header: [0, CONTROL). */
export const CONTROL = 160;
/** Cells of a record the module reads (a field in a later cell sends the file to the JavaScript path). */
export const MAX_CELLS = 64;
/** The module's fields (recordScan.ts FIELD_COLUMNS). */
export const FIELDS = 20;
/** The longest id or code a row may hold (rows.ts code.tooLong); the module takes ids up to it, the rest goes to JavaScript. */
export const MAX_CODE = 100;

// The seam between files and the engine: a ClaimSource streams validated claims to a visitor, in file order, and
// returns what it found wrong instead of throwing. The engine never sees a file, an encoding or a spreadsheet.
import type { InputFile } from '../domain/result.js';
import type { Claim, InputError } from '../domain/types.js';

/** Where a claim came from: the file as the user named it, and the row as a spreadsheet shows it (header = 1). */
export interface RowRef {
  readonly file: string;
  readonly row: number;
}

/** How a file was read when that was not the plain way (another sheet than the first, title rows skipped). */
export interface ReadNotice {
  readonly file: string;
  readonly zh: string;
  readonly en: string;
}

export interface ClaimScan {
  readonly rows: number; // data rows read, valid or not
  readonly files: readonly InputFile[]; // each claims file with its SHA-256 (role 'claims')
  readonly errors: readonly InputError[]; // kept up to a limit, in file/row order
  readonly errorCount: number; // all errors found, kept or not
  /** With `deferUnknownReversals`: reversals whose original is not in these files, for the caller to resolve. */
  readonly pendingReversals?: readonly import('./ledger.js').PendingReversal[];
  readonly notices?: readonly ReadNotice[]; // which sheet and header row were used, when not the first
}

export type ClaimVisitor = (claim: Claim, at: RowRef) => void;

export interface ClaimSource {
  /**
   * Reads every file once and calls `visit` for each valid row (reversal rows included, with `reverses` set and
   * negative amounts). May be called more than once (a second pass reads the files again). The visitor must not
   * keep the Claim object: the source may reuse it, and read its ids from the row's bytes only when asked (a copy,
   * { ...claim }, made during the call keeps them).
   */
  scan(visit: ClaimVisitor): Promise<ClaimScan>;
}

/** An in-memory source, for tests and for claims built by the what-if tools. */
export function arraySource(claims: readonly Claim[], file = 'memory'): ClaimSource {
  return {
    async scan(visit) {
      claims.forEach((c, i) => visit(c, { file, row: i + 2 }));
      return { rows: claims.length, files: [], errors: [], errorCount: 0 };
    },
  };
}

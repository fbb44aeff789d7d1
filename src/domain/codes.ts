// Codes (institution, DRG/DIP, claim and patient ids) as compared: two codes that look the same to a clerk must
// compare equal, or the run must stop. Exports carry full-width forms (Ｈ０１), no-break spaces, zero-width spaces
// and BOMs pasted from web pages; one such character once turned a member's claims into out-of-group spend.

// Zero-width and invisible format characters: never part of a code.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// Space characters at either end (NFKC already folds U+00A0, U+3000 and the like to U+0020).
const EDGE_SPACE = /^\s+|\s+$/g;

/** A code as compared: Unicode NFKC, zero-width characters removed, spaces trimmed. ASCII codes are returned as is. */
export function normalizeCode(code: string): string {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return code.normalize('NFKC').replace(INVISIBLE, '').replace(EDGE_SPACE, '');
  }
  return code;
}

/** The key under which codes count as "the same" to a person: normalised, every space removed, upper case. */
export function lookalikeKey(code: string): string {
  return normalizeCode(code).replace(/\s+/g, '').toUpperCase();
}

// Cyrillic and Greek capitals a clerk cannot tell from Latin ones (a code copied from a document in another script).
const CONFUSABLE: Readonly<Record<string, string>> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

/**
 * A code's skeleton: what is left when everything a clerk may not notice is dropped — case, spaces, punctuation
 * (Excel's leading ', "H-01", "H01."), letters of other scripts that look Latin (Cyrillic Н), O for 0 and I for 1,
 * and the leading zeros of a number ("H001", "H1"). Two codes with one skeleton are one code to a person.
 */
export function codeSkeleton(code: string): string {
  const upper = lookalikeKey(code).replace(/[\u0370-\u03FF\u0400-\u04FF]/g, (c) => CONFUSABLE[c] ?? c);
  const plain = upper.replace(/[^\p{L}\p{N}]/gu, '').replace(/O/g, '0').replace(/I/g, '1');
  return plain.replace(/\d+/g, (n) => n.replace(/^0+(?=\d)/, ''));
}

/**
 * Finds the member a non-member code looks like ("h01", "H-01", "HO1", "H001", "'H01" for member H01: one
 * `codeSkeleton`); codes are already normalised. Results are cached per code: a file repeats the same few codes.
 */
export class LookalikeCodes {
  private readonly bySkeleton = new Map<string, string>();
  private readonly seen = new Map<string, string | null>();

  constructor(private readonly members: ReadonlySet<string>) {
    for (const m of members) {
      const k = codeSkeleton(m);
      if (!this.bySkeleton.has(k)) this.bySkeleton.set(k, m);
    }
  }

  /** The member `code` looks like, or undefined when it is a member or like none. */
  memberLike(code: string): string | undefined {
    if (code === '' || this.members.has(code)) return undefined;
    let hit = this.seen.get(code);
    if (hit === undefined) {
      hit = this.bySkeleton.get(codeSkeleton(code)) ?? null;
      this.seen.set(code, hit);
    }
    return hit ?? undefined;
  }
}

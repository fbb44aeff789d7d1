// A book in memory: the pure state machine (src/book/state.ts) driven with the same compute functions the commands
// use, over claims held in an array. No database, no files: tests and properties replay books quickly.
import type { ClaimVisitor } from '../../src/claims/source.js';
import { clearingRecord, computeClearing, computeMonth, type BookClaims } from '../../src/book/compute.js';
import { canonicalJson, type BookTransaction } from '../../src/book/postings.js';
import { type BookEvent, type BookState, type VersionRecord, applyEvent, inputStamp, supplementEvent } from '../../src/book/state.js';
import { versionScenario } from '../../src/book/versions.js';
import type { Claim } from '../../src/domain/types.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { sha256Hex } from '../../src/book/postings.js';

export class MemoryClaims implements BookClaims {
  readonly rows: Array<{ batch: number; row: number; month: number; claim: Claim }> = [];
  async scan(filter: { throughBatch: number; month?: number }, visit: ClaimVisitor): Promise<number> {
    let n = 0;
    for (const r of this.rows) {
      if (r.batch > filter.throughBatch || (filter.month !== undefined && r.month !== filter.month)) continue;
      visit(r.claim, { file: `batch ${r.batch}`, row: r.row });
      n++;
    }
    return n;
  }
}

export function versionFromYaml(yaml: string, index: number): VersionRecord {
  return versionFromObject(parseScenarioText(yaml, 'test.yaml') as Record<string, unknown>, index, yaml);
}

export function versionFromObject(raw: Record<string, unknown>, index: number, text = canonicalJson(raw)): VersionRecord {
  const obj: Record<string, unknown> = { ...raw, claims: [] };
  delete obj.actuals;
  const resolved = canonicalJson(obj);
  const year = String(obj.year);
  return {
    index,
    effectiveFrom: index === 1 ? `${year}-01` : String(obj.effectiveFrom),
    file: `v${index}.yaml`,
    text,
    sha256: sha256Hex(text),
    resolved,
    resolvedSha256: sha256Hex(resolved),
  };
}

const AT = '2025-01-15T08:00:00.000Z'; // the clock is data: one fixed instant for every test event

/** Drives a book in memory: each method is one command. */
export class MemoryBook {
  state!: BookState;
  readonly claims = new MemoryClaims();
  readonly events: BookEvent[] = [];
  readonly journal: BookTransaction[] = [];

  /** `opening`: the carry-forward brought forward; by default the scenario's own (as `book init` does). */
  constructor(policy: string | Record<string, unknown>, opening?: number) {
    const version = typeof policy === 'string' ? versionFromYaml(policy, 1) : versionFromObject(policy, 1);
    const scenario = versionScenario(version);
    this.apply({ kind: 'open', at: AT, year: scenario.year, groupId: scenario.group.id, opening: opening ?? scenario.carryForward.opening, version });
  }

  private apply(e: BookEvent): void {
    const r = applyEvent(this.events.length === 0 ? undefined : this.state, e, versionScenario);
    this.state = r.state;
    this.events.push(e);
    this.journal.push(...r.posted);
  }

  amend(yaml: string): void {
    this.apply({ kind: 'amend', at: AT, version: versionFromYaml(yaml, this.state.versions.length + 1) });
  }

  import(claims: readonly Claim[]): void {
    const seq = this.state.batches.length + 1;
    const monthRows = new Array<number>(12).fill(0);
    let late = 0;
    claims.forEach((c, i) => {
      const month = Number(c.serviceDate.slice(5, 7));
      monthRows[month - 1]++;
      if (month <= this.state.months.length) late++;
      this.claims.rows.push({ batch: seq, row: i + 2, month, claim: c });
    });
    const text = canonicalJson(claims);
    this.apply({
      kind: 'import',
      at: AT,
      batch: { seq, sha256: sha256Hex(text), file: `batch-${seq}.csv`, rows: claims.length, late, monthRows, options: {} },
    });
  }

  async close(): Promise<void> {
    this.apply({ kind: 'close', at: AT, record: await computeMonth(this.state, this.claims) });
  }

  async closeAll(): Promise<void> {
    while (this.state.months.length < 12) await this.close();
  }

  async clear(): Promise<void> {
    this.apply({ kind: 'clear', at: AT, stamp: inputStamp(this.state), clearing: clearingRecord(await computeClearing(this.state, this.claims)) });
  }

  async lock(): Promise<void> {
    this.apply({ kind: 'lock', at: AT, stamp: inputStamp(this.state), clearing: clearingRecord(await computeClearing(this.state, this.claims)) });
  }

  async supplement(): Promise<void> {
    this.apply(supplementEvent(this.state, clearingRecord(await computeClearing(this.state, this.claims)), AT));
  }
}

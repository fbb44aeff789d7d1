// What the pages read from the book beyond its folded state: the year's claims priced with the clearing's rules
// (last version, the year's DIP point value), filtered to one member for its own view. Every query that can show
// claims takes the institution it is scoped to; the routes decide which institution a user may ask for.
import { pricedClaimScanner } from '../app/claims.js';
import { type ClaimTable } from '../whatif/claimtable.js';
import { loadClaimsOnce } from '../whatif/claims.js';
import type { ClaimSource } from '../claims/source.js';
import type { BookState } from '../book/state.js';
import { lastVersion } from '../book/state.js';
import type { BookStore } from '../book/store.js';
import type { ActualsResult, PricedClaim } from '../domain/result.js';
import type { Method, Scenario } from '../domain/types.js';
import type { BookService } from './service.js';

/** The book's claims as a ClaimSource (batches 1…n), optionally only one institution's rows. */
export function bookSource(store: BookStore, state: BookState, institution?: string): ClaimSource {
  return {
    async scan(visit) {
      const rows = await store.scan({ throughBatch: state.batches.length }, institution === undefined ? visit : (c, at) => c.institutionId === institution && visit(c, at));
      return { rows, files: [], errors: [], errorCount: 0 };
    },
  };
}

/** The clearing's scenario: the last version with the book's opening carry-forward (as computeClearing uses). */
export function clearingScenario(state: BookState): Scenario {
  const v = lastVersion(state);
  return { ...v.scenario, carryForward: { ...v.scenario.carryForward, opening: state.opening } };
}

/** The whole year's claims read once per book state: the actuals under the clearing's scenario and the claim table (what-ifs, monitor). */
export function yearClaims(service: BookService): Promise<{ actuals: ActualsResult; table: ClaimTable }> {
  return service.memoized('year', async (store) => {
    const state = service.current().state;
    const { actuals, table } = await loadClaimsOnce(clearingScenario(state), bookSource(store, state), true);
    return { actuals, table: table! };
  });
}

/** The whole year's actuals under the clearing's scenario (for the DIP point value of the claims' pricing). */
export async function yearActuals(service: BookService): Promise<ActualsResult> {
  return (await yearClaims(service)).actuals;
}

export interface GroupLine {
  readonly method: Method;
  readonly code: string;
  readonly claims: number;
  readonly totalCost: number;
  readonly fundPaid: number;
  readonly liability: number; // what the package pays for these claims under their method
  readonly gain: number; // liability − fund_paid: above 0 the method pays more than fee-for-service would
}

export interface MemberClaims {
  readonly claims: readonly PricedClaim[]; // every priced claim of the member, in batch/row order
  readonly groups: readonly GroupLine[]; // DRG / DIP groups, largest gain first
}

/** One member's claims priced as the clearing prices them. */
export function memberClaims(service: BookService, institution: string): Promise<MemberClaims> {
  return yearActuals(service).then((actuals) =>
    service.memoized(`claims:${institution}`, async (store) => {
      const state = service.current().state;
      const scan = pricedClaimScanner(clearingScenario(state), bookSource(store, state, institution), actuals);
      const claims: PricedClaim[] = [];
      const groups = new Map<string, { method: Method; code: string; claims: number; totalCost: number; fundPaid: number; liability: number }>();
      await scan((p) => {
        claims.push(p);
        if (p.method !== 'drg' && p.method !== 'dip') return;
        const code = p.method === 'drg' ? p.claim.drgCode : p.claim.dipCode;
        const k = `${p.method}:${code}`;
        const g = groups.get(k) ?? { method: p.method, code, claims: 0, totalCost: 0, fundPaid: 0, liability: 0 };
        g.claims += p.claim.reverses ? -1 : 1;
        g.totalCost += p.claim.totalCost;
        g.fundPaid += p.claim.fundPaid;
        g.liability += p.liability;
        groups.set(k, g);
      });
      const lines = [...groups.values()].map((g) => ({ ...g, gain: g.liability - g.fundPaid }));
      lines.sort((a, b) => b.gain - a.gain || a.method.localeCompare(b.method) || a.code.localeCompare(b.code));
      return { claims, groups: lines };
    }),
  );
}

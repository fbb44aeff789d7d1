// The book as a pure state machine (DOMAIN.md §12): a book is the fold of its events; each event yields the
// transactions it posts. Events carry what was computed when they happened (a month's figures, a clearing), so that
// loading a book is a cheap fold, and `verify` recomputes every one of them from the stored versions and batches
// and compares. No I/O, no clock: the time of an event is data in it.
import { computeBudget } from '../domain/budget.js';
import { invariant } from '../domain/errors.js';
import { type Fen, formatFen } from '../domain/money.js';
import type { BudgetResult } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';
import { type ClearingFigures, figuresDifference, figuresSum } from './clearing.js';
import { installmentSchedule } from './installments.js';
import type { MonthRecord } from './monthly.js';
import {
  type BookTransaction,
  type TransactionBody,
  budgetPostings,
  carryForwardOpeningPostings,
  chain,
  clearingPostings,
  formatMoneyRecord,
  monthEnd,
  monthlyPostings,
} from './postings.js';
import { clearingFiguresJson, monthJson, supplementJson } from './records.js';

/** A policy version as stored: the scenario text as given and its self-contained resolved form. */
export interface VersionRecord {
  readonly index: number; // 1-based
  readonly effectiveFrom: string; // YYYY-MM (version 1: January)
  readonly file: string; // the file name as given
  readonly text: string; // the scenario text as given
  readonly sha256: string; // of the text's bytes
  readonly resolved: string; // canonical JSON of the scenario with its tables inlined (what the engine reads)
  readonly resolvedSha256: string;
  /** Files the version names that cannot be inlined (the special-case list, §13.2), kept in the book by SHA-256. */
  readonly attachments?: ReadonlyArray<{ readonly key: string; readonly file: string; readonly sha256: string }>;
}

/** An imported batch (导入批次). Its rows live in the store; its original bytes under its SHA-256. */
export interface BatchRecord {
  readonly seq: number; // 1-based, in import order
  readonly sha256: string;
  readonly file: string;
  readonly rows: number; // valid rows stored
  readonly late: number; // rows dated in months already closed when it was imported
  readonly monthRows: readonly number[]; // rows by month, January first
  readonly options: { readonly encoding?: string; readonly sheet?: string; readonly mapping?: string };
}

export interface ClearingRecordJson {
  readonly figures: ClearingFigures;
  /** The §8 result with settlement.paid and members' paid and clearing (money as two-decimal strings). */
  readonly report: unknown;
}

export type BookEvent =
  | {
      readonly kind: 'open';
      readonly at: string;
      readonly year: number;
      readonly groupId: string;
      readonly opening: Fen; // carry-forward reserve brought forward (上年结转)
      /**
       * The previous year's book: its folder, its head, and how many of its supplements `opening` already includes
       * (absent in books opened before this was recorded: none).
       */
      readonly previous?: { readonly dir: string; readonly head: string; readonly supplements?: number };
      readonly version: VersionRecord;
    }
  | { readonly kind: 'amend'; readonly at: string; readonly version: VersionRecord }
  | { readonly kind: 'import'; readonly at: string; readonly batch: BatchRecord }
  | { readonly kind: 'close'; readonly at: string; readonly record: MonthRecord }
  | { readonly kind: 'clear'; readonly at: string; readonly stamp: string; readonly clearing: ClearingRecordJson }
  | { readonly kind: 'lock'; readonly at: string; readonly stamp: string; readonly clearing: ClearingRecordJson }
  | {
      readonly kind: 'supplement';
      readonly at: string;
      readonly index: number; // 1-based
      readonly stamp: string;
      readonly newBatches: readonly string[]; // SHA-256 of the batches imported since the last posting
      readonly clearing: ClearingRecordJson; // the clearing from scratch
      readonly difference: ClearingFigures; // new − posted
    }
  | {
      readonly kind: 'openingAdjustment';
      readonly at: string;
      readonly amount: Fen; // change of the previous year's closing carry-forward
      readonly from: { readonly dir: string; readonly supplement: number; readonly head: string };
    }
  | { readonly kind: 'successor'; readonly at: string; readonly dir: string }; // next year's book opened from this one (§12.7)

export interface LoadedVersion {
  readonly record: VersionRecord;
  readonly scenario: Scenario;
  readonly budget: BudgetResult;
  readonly fromMonth: number;
}

export interface BookState {
  readonly year: number;
  readonly groupId: string;
  readonly opening: Fen; // carry-forward opening, adjustments included
  readonly previous?: { readonly dir: string; readonly head: string; readonly supplements?: number };
  readonly versions: readonly LoadedVersion[];
  readonly installments: readonly Fen[];
  readonly batches: readonly BatchRecord[];
  readonly months: readonly MonthRecord[];
  readonly draft?: { readonly stamp: string; readonly clearing: ClearingRecordJson };
  readonly locked?: ClearingRecordJson;
  readonly supplements: ReadonlyArray<Extract<BookEvent, { kind: 'supplement' }>>;
  /** What the journal has posted for the clearing: the locked figures plus every supplement's difference. */
  readonly posted?: ClearingFigures;
  /** The input stamp at the last posting (lock or supplement). */
  readonly postedStamp?: string;
  readonly adjustments: number; // opening adjustments received
  /** The supplements of the previous year whose carry-forward difference this book has received. */
  readonly adjustedBy: readonly number[];
  /** Next year's book, opened from this one: supplements post their carry-forward difference into it (§12.7). */
  readonly successor?: string;
  readonly journal: readonly BookTransaction[];
}

/** Builds a Scenario from a stored version (pure: the tables are inlined in `resolved`). */
export type VersionLoader = (record: VersionRecord) => Scenario;

/**
 * What the clearing's inputs are: the batches, the versions and the opening adjustments. A draft is current, and a
 * supplement has something to post, only when this has changed.
 */
export function inputStamp(s: Pick<BookState, 'batches' | 'versions' | 'adjustments' | 'months'>): string {
  return `v${s.versions.length}:b${s.batches.length}:a${s.adjustments}:m${s.months.length}`;
}

/** The draft clearing was computed on the inputs the book holds now (no batch, version or adjustment since). */
export function isDraftCurrent(s: BookState): boolean {
  return s.draft !== undefined && s.draft.stamp === inputStamp(s);
}

/** How many batches the book held when a stamp was taken. */
export function batchesAtStamp(stamp: string): number {
  return Number(/:b(\d+):/.exec(stamp)?.[1] ?? '0');
}

/** A supplement (§12.5): the clearing from scratch, its difference from what was posted, the batches since. */
export function supplementEvent(s: BookState, clearing: ClearingRecordJson, at: string): Extract<BookEvent, { kind: 'supplement' }> {
  invariant(s.posted !== undefined && s.postedStamp !== undefined, 'book.supplementAfterLock', () => 'a supplement before the lock');
  return {
    kind: 'supplement',
    at,
    index: s.supplements.length + 1,
    stamp: inputStamp(s),
    newBatches: s.batches.slice(batchesAtStamp(s.postedStamp)).map((b) => b.sha256),
    clearing,
    difference: figuresDifference(clearing.figures, s.posted),
  };
}

/** The version in force in month m (1–12): the last one whose effectiveFrom ≤ m. */
export function versionInForce(s: BookState, month: number): LoadedVersion {
  let v = s.versions[0];
  for (const x of s.versions) if (x.fromMonth <= month) v = x;
  return v;
}

export function lastVersion(s: BookState): LoadedVersion {
  return s.versions[s.versions.length - 1];
}

const versionRef = (v: LoadedVersion) => ({ index: v.record.index, sha256: v.record.sha256 });

function load(record: VersionRecord, loader: VersionLoader): LoadedVersion {
  const scenario = loader(record);
  return { record, scenario, budget: computeBudget(scenario), fromMonth: Number(record.effectiveFrom.slice(5, 7)) };
}

/** Applies one event: the next state and the transactions it posts (already chained). */
export function applyEvent(
  state: BookState | undefined,
  event: BookEvent,
  loader: VersionLoader,
): { state: BookState; posted: BookTransaction[] } {
  if (event.kind === 'open') {
    invariant(state === undefined, 'book.openOnce', () => 'a book is opened once');
    const v = load(event.version, loader);
    const body: TransactionBody = {
      kind: 'opening',
      date: `${event.year}-01-01`,
      at: event.at,
      zh: '年度总额预算与上年结转',
      en: 'Annual budget and carry-forward brought forward',
      versions: [versionRef(v)],
      batches: [],
      figures: {
        budget: formatMoneyRecord({
          total: v.budget.total,
          riskReserve: v.budget.riskReserve,
          package: v.budget.package,
          qualityDeposit: v.budget.qualityDeposit,
        }),
        carryForwardOpening: formatFen(event.opening),
      },
      postings: [...budgetPostings(v.budget), ...carryForwardOpeningPostings(event.opening)],
    };
    const tx = chain(undefined, body);
    return {
      state: {
        year: event.year,
        groupId: event.groupId,
        opening: event.opening,
        previous: event.previous,
        versions: [v],
        installments: installmentSchedule([v]),
        batches: [],
        months: [],
        supplements: [],
        adjustments: 0,
        // The previous year's supplements made before this book was opened are in its opening already.
        adjustedBy: Array.from({ length: event.previous?.supplements ?? 0 }, (_, i) => i + 1),
        journal: [tx],
      },
      posted: [tx],
    };
  }
  invariant(state !== undefined, 'book.openFirst', () => `${event.kind} before the book was opened`);
  const post = (body: TransactionBody): { state: BookState; tx: BookTransaction } => {
    const tx = chain(state.journal[state.journal.length - 1], body);
    return { state: { ...state, journal: [...state.journal, tx] }, tx };
  };
  switch (event.kind) {
    case 'amend': {
      const v = load(event.version, loader);
      const prev = lastVersion(state);
      const versions = [...state.versions, v];
      const diff = {
        total: v.budget.total - prev.budget.total,
        riskReserve: v.budget.riskReserve - prev.budget.riskReserve,
        qualityDeposit: v.budget.qualityDeposit - prev.budget.qualityDeposit,
      };
      const { state: s, tx } = post({
        kind: 'amendment',
        date: `${event.version.effectiveFrom}-01`,
        at: event.at,
        zh: `政策版本 ${v.record.index} 自 ${event.version.effectiveFrom} 起执行：预算差额`,
        en: `Policy version ${v.record.index} in force from ${event.version.effectiveFrom}: budget difference`,
        versions: [versionRef(v)],
        batches: [],
        figures: { budgetDifference: formatMoneyRecord({ ...diff, package: diff.total - diff.riskReserve }) },
        postings: budgetPostings(diff),
      });
      return { state: { ...s, versions, installments: installmentSchedule(versions) }, posted: [tx] };
    }
    case 'import':
      invariant(event.batch.seq === state.batches.length + 1, 'book.batchOrder', () => `batch ${event.batch.seq} after ${state.batches.length}`);
      return { state: { ...state, batches: [...state.batches, event.batch] }, posted: [] };
    case 'close': {
      const r = event.record;
      const month = state.months.length + 1;
      invariant(r.month === `${state.year}-${String(month).padStart(2, '0')}`, 'book.monthOrder', () => `${r.month} closed after ${state.months.length} months`);
      const v = versionInForce(state, month);
      const { state: s, tx } = post({
        kind: 'monthly',
        date: monthEnd(r.month),
        at: event.at,
        zh: `${r.month} 月度预结算拨付`,
        en: `Monthly pre-settlement payment ${r.month}`,
        versions: [versionRef(v)],
        batches: state.batches.map((b) => b.sha256),
        figures: monthJson(r),
        postings: monthlyPostings(r.paid, r.members),
      });
      return { state: { ...s, months: [...state.months, r] }, posted: [tx] };
    }
    case 'clear':
      return { state: { ...state, draft: { stamp: event.stamp, clearing: event.clearing } }, posted: [] };
    case 'lock': {
      const v = lastVersion(state);
      const { state: s, tx } = post({
        kind: 'clearing',
        date: `${state.year}-12-31`,
        at: event.at,
        zh: `${state.year} 年度年终清算（锁定）`,
        en: `Year-end clearing ${state.year} (locked)`,
        versions: state.versions.map(versionRef),
        batches: state.batches.map((b) => b.sha256),
        figures: clearingFiguresJson(event.clearing.figures),
        postings: clearingPostings(event.clearing.figures, v.budget.package),
      });
      return {
        state: { ...s, draft: undefined, locked: event.clearing, posted: event.clearing.figures, postedStamp: event.stamp },
        posted: [tx],
      };
    }
    case 'supplement': {
      invariant(state.posted !== undefined, 'book.supplementAfterLock', () => 'a supplement before the lock');
      const { state: s, tx } = post({
        kind: 'supplement',
        date: event.at.slice(0, 10),
        at: event.at,
        zh: `第 ${event.index} 次补充清算`,
        en: `Supplementary settlement ${event.index}`,
        versions: state.versions.map(versionRef),
        batches: state.batches.map((b) => b.sha256),
        figures: supplementJson(event.index, event.newBatches, event.difference),
        postings: clearingPostings(event.difference, 0),
      });
      return {
        state: {
          ...s,
          supplements: [...state.supplements, event],
          posted: figuresSum(state.posted, event.difference),
          postedStamp: event.stamp,
        },
        posted: [tx],
      };
    }
    case 'openingAdjustment': {
      const { state: s, tx } = post({
        kind: 'openingAdjustment',
        date: event.at.slice(0, 10),
        at: event.at,
        zh: `上年补充清算调整结转储备金（上年第 ${event.from.supplement} 次补充清算）`,
        en: `Carry-forward adjusted by the previous year's supplement ${event.from.supplement}`,
        versions: [],
        batches: [],
        figures: { carryForwardOpeningDifference: formatFen(event.amount), from: event.from },
        postings: carryForwardOpeningPostings(event.amount),
      });
      return {
        state: { ...s, opening: state.opening + event.amount, adjustments: state.adjustments + 1, adjustedBy: [...state.adjustedBy, event.from.supplement] },
        posted: [tx],
      };
    }
    case 'successor':
      return { state: { ...state, successor: event.dir }, posted: [] };
  }
}

/** Folds stored events into the book's state and its journal. */
export function replayEvents(events: readonly BookEvent[], loader: VersionLoader): BookState {
  let state: BookState | undefined;
  for (const e of events) state = applyEvent(state, e, loader).state;
  invariant(state !== undefined, 'book.empty', () => 'a book without events');
  return state;
}

// The book's JSON (DOMAIN.md §12.8, `book status --json`): money as two-decimal strings, every member in every
// members list, all twelve months (open ones with their installment and nulls). Pure.
import { formatFen } from '../domain/money.js';
import { monthJson, supplementJson } from './records.js';
import { type BookEvent, type BookState, isDraftCurrent } from './state.js';

export function bookJson(state: BookState, events: readonly BookEvent[]) {
  const importedAt = new Map<string, string>();
  for (const e of events) if (e.kind === 'import') importedAt.set(e.batch.sha256, e.at);
  const members = state.versions[0].scenario.group.members.map((m) => m.id);
  const months = Array.from({ length: 12 }, (_, i) => {
    const closed = state.months[i];
    if (closed) return monthJson(closed);
    return {
      month: `${state.year}-${String(i + 1).padStart(2, '0')}`,
      closed: false,
      claimRows: null,
      installment: formatFen(state.installments[i]),
      inGroupLiability: null,
      capitation: null,
      outOfGroupDeductions: null,
      workload: null,
      due: null,
      room: null,
      paid: null,
      withheld: null,
      members: members.map((id) => ({ id, workload: null, paid: null })),
    };
  });
  const clearingState = state.locked ? 'locked' : state.draft ? (isDraftCurrent(state) ? 'draft' : 'stale') : 'none';
  return {
    year: state.year,
    groupId: state.groupId,
    locked: state.locked !== undefined,
    head: state.journal[state.journal.length - 1]?.hash ?? '',
    openingCarryForward: formatFen(state.opening),
    previous: state.previous ?? null,
    versions: state.versions.map((v) => ({ index: v.record.index, effectiveFrom: v.record.effectiveFrom, file: v.record.file, sha256: v.record.sha256 })),
    batches: state.batches.map((b) => ({ seq: b.seq, sha256: b.sha256, file: b.file, rows: b.rows, importedAt: importedAt.get(b.sha256) ?? null, late: b.late })),
    months,
    clearingState,
    // The clearing as locked; before the lock, the current draft (clearingState says which).
    clearing: (state.locked ?? state.draft?.clearing)?.report ?? null,
    supplements: state.supplements.map((s) => supplementJson(s.index, s.newBatches, s.difference)),
    journal: state.journal.map((t) => ({ seq: t.seq, kind: t.kind, date: t.date, at: t.at, prev: t.prev, hash: t.hash })),
  };
}

export function bookJsonText(state: BookState, events: readonly BookEvent[]): string {
  return `${JSON.stringify(bookJson(state, events), null, 2)}\n`;
}

// The clearing workflow's fold and rules (src/book/workflow.ts), on a book state reduced to what they read.
import { describe, expect, it } from 'vitest';
import type { BookState } from '../../src/book/state.js';
import { checkApprove, checkLockApproved, checkPublish, checkReply, checkRespond, draftKey, type WorkflowEvent, workflowState } from '../../src/book/workflow.js';

const members = ['H01', 'T01', 'V01'];
function book(figures: unknown, extra: Partial<Record<'locked' | 'stale', boolean>> = {}): BookState {
  const s = {
    versions: [{ scenario: { group: { members: members.map((id) => ({ id })) } } }],
    batches: [{}, {}],
    months: Array.from({ length: 12 }, () => ({})),
    adjustments: 0,
    draft: { stamp: extra.stale ? 'v1:b1:a0:m12' : 'v1:b2:a0:m12', clearing: { figures } },
    locked: extra.locked ? { figures } : undefined,
  };
  return s as unknown as BookState;
}

let seq = 0;
const ev = (b: BookState, action: WorkflowEvent['action'], institution: string | null = null, comment: string | null = null, deadline: string | null = null): WorkflowEvent => ({
  seq: ++seq,
  at: `2025-01-0${Math.min(9, seq)}T00:00:00.000Z`,
  actor: 'x',
  action,
  draft: draftKey(b)!,
  institution,
  comment,
  deadline,
});

describe('clearing workflow', () => {
  const b = book({ y: 1 });
  const published = [ev(b, 'publish', null, null, '2025-01-08T00:00:00.000Z')];

  it('draft → published → responses → approved; an answered objection no longer blocks', () => {
    expect(workflowState(b, []).phase).toBe('draft');
    expect(checkPublish(workflowState(b, []))).toEqual([]);
    let w = workflowState(b, published);
    expect(w.phase).toBe('published');
    expect(checkPublish(w)[0].rule).toBe('workflow.phase');
    const events = [...published, ev(b, 'confirm', 'H01'), ev(b, 'object', 'T01', 'capitation is wrong'), ev(b, 'confirm', 'V01')];
    w = workflowState(b, events);
    expect(w.responses.map((r) => r.status)).toEqual(['confirmed', 'objected', 'confirmed']);
    expect(checkApprove(w, '2025-01-05T00:00:00.000Z')[0].rule).toBe('workflow.openObjections');
    expect(checkReply(w, 'H01', 'ok')[0].rule).toBe('workflow.noObjection');
    expect(checkReply(w, 'T01', '')[0].rule).toBe('workflow.comment');
    w = workflowState(b, [...events, ev(b, 'reply', 'T01', 'checked: unchanged')]);
    expect(w.responses[1]).toMatchObject({ status: 'answered', comment: 'capitation is wrong', reply: 'checked: unchanged' });
    expect(checkApprove(w, '2025-01-05T00:00:00.000Z')).toEqual([]);
    expect(checkLockApproved(w)[0].rule).toBe('workflow.phase');
    w = workflowState(b, [...events, ev(b, 'reply', 'T01', 'checked'), ev(b, 'approve')]);
    expect(w.phase).toBe('approved');
    expect(checkLockApproved(w)).toEqual([]);
  });

  it('members respond only while published and before the deadline; an objection needs a comment', () => {
    const w = workflowState(b, published);
    expect(checkRespond(w, 'H01', '2025-01-07T23:59:59.000Z', null)).toEqual([]);
    expect(checkRespond(w, 'H01', '2025-01-08T00:00:01.000Z', null)[0].rule).toBe('workflow.deadline');
    expect(checkRespond(w, 'H01', '2025-01-07T00:00:00.000Z', '  ')[0].rule).toBe('workflow.comment');
    expect(checkRespond(w, 'X99', '2025-01-07T00:00:00.000Z', null)[0].rule).toBe('workflow.member');
    expect(checkRespond(workflowState(b, []), 'H01', '2025-01-01T00:00:00.000Z', null)[0].rule).toBe('workflow.phase');
  });

  it('approval waits for every member until the period is over', () => {
    const w = workflowState(b, [...published, ev(b, 'confirm', 'H01')]);
    expect(checkApprove(w, '2025-01-07T00:00:00.000Z')[0].rule).toBe('workflow.pending');
    expect(checkApprove(w, '2025-01-08T00:00:01.000Z')).toEqual([]);
  });

  it('a recomputed draft with other figures starts over; a stale or locked one offers nothing', () => {
    const events = [...published, ev(b, 'confirm', 'H01'), ev(b, 'approve')];
    expect(workflowState(b, events).phase).toBe('approved');
    const recomputed = book({ y: 2 });
    const w = workflowState(recomputed, events);
    expect(w.phase).toBe('draft');
    expect(w.responses.every((r) => r.status === 'pending')).toBe(true);
    expect(w.history).toHaveLength(events.length);
    expect(workflowState(book({ y: 1 }, { stale: true }), events).phase).toBe('stale');
    const locked = workflowState(book({ y: 1 }, { locked: true }), events);
    expect(locked.phase).toBe('locked');
    expect(locked.responses[0].status).toBe('confirmed'); // the approved draft's responses stay visible
  });
});

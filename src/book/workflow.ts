// 清算流程 (the clearing workflow of the web workspace): draft → published to members → each member confirms or
// objects (with a comment) within a set period → the operator answers objections (a reply, or a recomputed draft)
// → the reviewer approves → lock. Its events live in their own table `workflow` (created here; the book's schema
// does not know it) and are tied to one draft by the draft's key: a recomputed draft with other figures starts
// again from "draft". The fold and the rules are pure; the clock is data (each event's `at`, and `now`).
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { InputError } from '../domain/types.js';
import { type BookState, isDraftCurrent } from './state.js';

export type WorkflowAction = 'publish' | 'confirm' | 'object' | 'reply' | 'approve';

export interface WorkflowEvent {
  readonly seq: number;
  readonly at: string; // ISO date-time
  readonly actor: string;
  readonly action: WorkflowAction;
  readonly draft: string; // the draft's key
  readonly institution: string | null; // confirm / object / reply
  readonly comment: string | null; // object / reply
  readonly deadline: string | null; // publish: members respond until then (ISO date-time)
}

export type Phase = 'none' | 'stale' | 'draft' | 'published' | 'approved' | 'locked';

export const PHASE_LABELS: Readonly<Record<Phase, { zh: string; en: string }>> = {
  none: { zh: '尚无清算草稿', en: 'no draft clearing yet' },
  stale: { zh: '草稿已过期（之后有新批次或新版本），请重新计算', en: 'the draft is stale (new batches or versions since): recompute it' },
  draft: { zh: '清算草稿（未发布）', en: 'draft (not published)' },
  published: { zh: '已发布，待机构确认', en: 'published to members for confirmation' },
  approved: { zh: '审核已通过，待锁定', en: 'approved, waiting for the lock' },
  locked: { zh: '已锁定', en: 'locked' },
};

export type ResponseStatus = 'pending' | 'confirmed' | 'objected' | 'answered';

export const RESPONSE_LABELS: Readonly<Record<ResponseStatus, { zh: string; en: string }>> = {
  pending: { zh: '待确认', en: 'pending' },
  confirmed: { zh: '已确认', en: 'confirmed' },
  objected: { zh: '有异议', en: 'objection' },
  answered: { zh: '异议已答复', en: 'objection answered' },
};

export interface MemberResponse {
  readonly id: string;
  readonly status: ResponseStatus;
  readonly comment: string | null; // the objection
  readonly reply: string | null;
  readonly at: string | null;
}

export interface WorkflowState {
  readonly phase: Phase;
  readonly draft: string | null; // the current draft's key
  readonly deadline: string | null;
  readonly responses: readonly MemberResponse[]; // every member, for the current draft
  readonly history: readonly WorkflowEvent[]; // every event, all drafts
}

/** The current draft's key: its input stamp and the SHA-256 of its figures. */
export function draftKey(state: BookState): string | null {
  if (!state.draft) return null;
  const h = createHash('sha256').update(JSON.stringify(state.draft.clearing.figures)).digest('hex');
  return `${state.draft.stamp}:${h.slice(0, 16)}`;
}

export async function ensureWorkflowTable(db: DuckDBConnection): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS workflow (
    seq INTEGER PRIMARY KEY, recorded_at VARCHAR NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, draft VARCHAR NOT NULL,
    institution VARCHAR, comment VARCHAR, deadline VARCHAR)`);
}

export async function readWorkflow(db: DuckDBConnection): Promise<WorkflowEvent[]> {
  await ensureWorkflowTable(db);
  const r = await db.runAndReadAll('SELECT seq, recorded_at, actor, action, draft, institution, comment, deadline FROM workflow ORDER BY seq');
  const s = (v: unknown) => (v === null ? null : String(v));
  return r.getRows().map(([seq, at, actor, action, draft, inst, comment, deadline]) => ({
    seq: Number(seq),
    at: String(at),
    actor: String(actor),
    action: String(action) as WorkflowAction,
    draft: String(draft),
    institution: s(inst),
    comment: s(comment),
    deadline: s(deadline),
  }));
}

export async function appendWorkflow(db: DuckDBConnection, e: Omit<WorkflowEvent, 'seq'>): Promise<WorkflowEvent> {
  await ensureWorkflowTable(db);
  const r = await db.runAndReadAll('SELECT coalesce(max(seq), 0) FROM workflow');
  const seq = Number(r.getRows()[0][0]) + 1;
  await db.run('INSERT INTO workflow VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [seq, e.at, e.actor, e.action, e.draft, e.institution, e.comment, e.deadline]);
  return { seq, ...e };
}

/** Folds the workflow's events for the book's current draft. */
export function workflowState(book: BookState, events: readonly WorkflowEvent[]): WorkflowState {
  const members = book.versions[book.versions.length - 1].scenario.group.members.map((m) => m.id).sort();
  const blank = (id: string): MemberResponse => ({ id, status: 'pending', comment: null, reply: null, at: null });
  // A locked year shows the responses to the draft that was approved (the lock clears the book's draft).
  const key = book.locked ? ([...events].reverse().find((e) => e.action === 'approve')?.draft ?? null) : draftKey(book);
  if (!book.locked) {
    if (!book.draft || key === null) return { phase: 'none', draft: null, deadline: null, responses: members.map(blank), history: events };
    if (!isDraftCurrent(book)) return { phase: 'stale', draft: key, deadline: null, responses: members.map(blank), history: events };
  }
  const responses = new Map(members.map((id) => [id, blank(id)]));
  let phase: Phase = 'draft';
  let deadline: string | null = null;
  for (const e of events) {
    if (e.draft !== key) continue;
    const r = e.institution === null ? undefined : responses.get(e.institution);
    switch (e.action) {
      case 'publish':
        phase = 'published';
        deadline = e.deadline;
        break;
      case 'confirm':
        if (r) responses.set(r.id, { ...r, status: 'confirmed', at: e.at });
        break;
      case 'object':
        if (r) responses.set(r.id, { ...r, status: 'objected', comment: e.comment, reply: null, at: e.at });
        break;
      case 'reply':
        if (r) responses.set(r.id, { ...r, status: 'answered', reply: e.comment });
        break;
      case 'approve':
        phase = 'approved';
        break;
    }
  }
  return { phase: book.locked ? 'locked' : phase, draft: key, deadline, responses: [...responses.values()], history: events };
}

function refused(rule: string, zh: string, en: string): InputError[] {
  return [{ rule, zh, en }];
}

const notPhase = (w: WorkflowState, wanted: Phase, action: { zh: string; en: string }): InputError[] =>
  w.phase === wanted
    ? []
    : refused(
        'workflow.phase',
        `当前状态为「${PHASE_LABELS[w.phase].zh}」，不能${action.zh}`,
        `the clearing is "${PHASE_LABELS[w.phase].en}": cannot ${action.en}`,
      );

export function checkPublish(w: WorkflowState): InputError[] {
  return notPhase(w, 'draft', { zh: '发布', en: 'publish it' });
}

/** A member's confirmation or objection: published, before the deadline, its own line. */
export function checkRespond(w: WorkflowState, institution: string, now: string, comment: string | null): InputError[] {
  const phase = notPhase(w, 'published', { zh: '确认或提出异议', en: 'confirm or object' });
  if (phase.length > 0) return phase;
  if (w.deadline !== null && now > w.deadline) {
    return refused('workflow.deadline', `确认期限 ${w.deadline} 已过`, `the period for responses ended at ${w.deadline}`);
  }
  if (!w.responses.some((r) => r.id === institution)) return refused('workflow.member', `${institution} 不是本医共体成员`, `${institution} is not a member of the group`);
  if (comment !== null && comment.trim() === '') return refused('workflow.comment', '提出异议须写明理由', 'an objection needs a comment');
  return [];
}

export function checkReply(w: WorkflowState, institution: string, comment: string): InputError[] {
  const phase = notPhase(w, 'published', { zh: '答复异议', en: 'answer an objection' });
  if (phase.length > 0) return phase;
  const r = w.responses.find((x) => x.id === institution);
  if (!r || r.status !== 'objected') return refused('workflow.noObjection', `${institution} 没有待答复的异议`, `${institution} has no open objection`);
  if (comment.trim() === '') return refused('workflow.comment', '答复不能为空', 'a reply needs a text');
  return [];
}

/** Approval: published, no open objection, and every member has answered or the period is over. */
export function checkApprove(w: WorkflowState, now: string): InputError[] {
  const phase = notPhase(w, 'published', { zh: '审核通过', en: 'approve it' });
  if (phase.length > 0) return phase;
  const open = w.responses.filter((r) => r.status === 'objected').map((r) => r.id);
  if (open.length > 0) return refused('workflow.openObjections', `仍有未答复的异议：${open.join('、')}`, `objections not yet answered: ${open.join(', ')}`);
  const pending = w.responses.filter((r) => r.status === 'pending').map((r) => r.id);
  if (pending.length > 0 && (w.deadline === null || now <= w.deadline)) {
    return refused('workflow.pending', `确认期限（${w.deadline}）前仍有机构未确认：${pending.join('、')}`, `members yet to respond before the deadline (${w.deadline}): ${pending.join(', ')}`);
  }
  return [];
}

export function checkLockApproved(w: WorkflowState): InputError[] {
  return notPhase(w, 'approved', { zh: '锁定', en: 'lock it' });
}

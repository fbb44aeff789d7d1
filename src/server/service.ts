// The server's hold on one book: the LOCK taken once for the server's life, the store opened once, and every
// command and query run one at a time (a queue), so a command's database transaction never interleaves with a
// read. The folded state is kept between commands (refreshed after each one). CLI commands on the same book are
// refused meanwhile with "the book is in use by PID …" (src/book/lock.ts).
import { type BookContext, loadBook } from '../app/book.js';
import { type BookLock, lockBook } from '../book/lock.js';
import type { BookEvent, BookState } from '../book/state.js';
import { BookStore } from '../book/store.js';
import { ensureUsersTable } from '../book/users.js';
import { draftKey, ensureWorkflowTable, readWorkflow, type WorkflowEvent, workflowState, type WorkflowState } from '../book/workflow.js';
import { InputRejected } from '../domain/errors.js';

export interface BookView {
  readonly state: BookState;
  readonly events: readonly BookEvent[];
  readonly workflow: WorkflowState;
  readonly workflowEvents: readonly WorkflowEvent[];
}

export class BookService {
  private queue: Promise<unknown> = Promise.resolve();
  private view: BookView | undefined;
  /** Results computed from the book that stay valid until the next command (keyed by the caller). */
  private readonly memo = new Map<string, Promise<unknown>>();

  private constructor(
    readonly dir: string,
    readonly store: BookStore,
    private readonly lock: BookLock,
    readonly now: () => string,
  ) {}

  static async open(dir: string, now: () => string): Promise<BookService> {
    if (!BookStore.exists(dir)) {
      throw new InputRejected([{ file: dir, rule: 'book.missing', zh: `${dir} 不是账簿目录（缺少 book.duckdb）；请先 book init`, en: `${dir} is not a book (no book.duckdb); run book init first` }]);
    }
    const lock = lockBook(dir, 'yibao serve');
    try {
      const store = await BookStore.open(dir);
      await ensureUsersTable(store.db);
      await ensureWorkflowTable(store.db);
      const service = new BookService(dir, store, lock, now);
      await service.refresh();
      return service;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Runs `fn` alone on the store (commands and queries queue here). */
  exclusive<T>(fn: (store: BookStore) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => fn(this.store));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs a command, then refreshes the folded state (whether it succeeded or not: a failed one changed nothing). */
  command<T>(fn: (store: BookStore) => Promise<T>): Promise<T> {
    return this.exclusive(async (store) => {
      try {
        return await fn(store);
      } finally {
        this.memo.clear();
        await this.refreshUnlocked(store);
      }
    });
  }

  /**
   * Runs a book command as `actor` (its own audit line comes from the command); then adds the hashes it produced
   * to the audit log: each new transaction's seq and hash, and the new draft's key.
   */
  bookCommand<T>(actor: string, fn: (store: BookStore, ctx: BookContext) => Promise<T>): Promise<T> {
    return this.exclusive(async (store) => {
      const before = this.current();
      const draftBefore = draftKey(before.state);
      try {
        return await fn(store, this.ctx(actor));
      } finally {
        this.memo.clear();
        await this.refreshUnlocked(store);
        const after = this.current().state;
        const posted = after.journal.slice(before.state.journal.length);
        const at = this.now();
        if (posted.length > 0) await store.audit(at, actor, 'posted', posted.map((t) => `transaction ${t.seq} ${t.kind} hash ${t.hash} prev ${t.prev}`).join('; '));
        const draftAfter = draftKey(after);
        if (draftAfter !== null && draftAfter !== draftBefore) await store.audit(at, actor, 'draft', `draft ${draftAfter}`);
      }
    });
  }

  current(): BookView {
    if (!this.view) throw new Error('book not loaded');
    return this.view;
  }

  ctx(actor: string): BookContext {
    return { now: this.now, actor };
  }

  /** A value computed once per book state (cleared by every command); concurrent callers share one computation. */
  memoized<T>(key: string, compute: (store: BookStore) => Promise<T>): Promise<T> {
    return this.remember(key, () => this.exclusive(compute));
  }

  /** Like `memoized`, for values computed without the store (outside the queue). */
  remember<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.memo.get(key);
    if (hit) return hit as Promise<T>;
    const value = compute();
    this.memo.set(key, value);
    value.catch(() => {
      if (this.memo.get(key) === value) this.memo.delete(key);
    });
    return value;
  }

  async audit(actor: string, action: string, detail: string): Promise<void> {
    await this.exclusive((store) => store.audit(this.now(), actor, action, detail));
  }

  private async refresh(): Promise<void> {
    await this.exclusive((store) => this.refreshUnlocked(store));
  }

  private async refreshUnlocked(store: BookStore): Promise<void> {
    const { state, events } = await loadBook(store);
    const workflowEvents = await readWorkflow(store.db);
    this.view = { state, events, workflow: workflowState(state, workflowEvents), workflowEvents };
  }

  async close(): Promise<void> {
    await this.queue;
    await this.store.close();
    this.lock.release();
  }
}

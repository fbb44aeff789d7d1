// The pages and their actions. Each route names the roles that may use it (src/server/app.ts refuses the rest);
// routes that take an institution pass it through `scope`. Every action goes to the book's audit log: book
// commands through their own ctx.actor, the rest with service.audit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../book/users.js';
import { InputRejected } from '../domain/errors.js';
import { type Web, errorLines } from './app.js';
import { registerBookPages } from './pages/book.js';
import { registerClearingPages } from './pages/clearing.js';
import { registerDownloads } from './pages/downloads.js';
import { registerImport } from './pages/import.js';
import { registerWhatIf } from './pages/whatif.js';

export const STAFF: readonly Role[] = ['operator', 'reviewer', 'auditor'];
export const EVERYONE: readonly Role[] = ['operator', 'reviewer', 'member', 'auditor'];

export function registerPages(app: FastifyInstance, web: Web): void {
  registerBookPages(app, web);
  registerImport(app, web);
  registerClearingPages(app, web);
  registerWhatIf(app, web);
  registerDownloads(app, web);
}

/**
 * Runs a form's action and answers with a redirect to `back` (POST → redirect → GET), the outcome as a flash
 * message: the command's own summary lines, or its errors.
 */
export async function act(req: FastifyRequest, reply: FastifyReply, back: string, fn: () => Promise<string[]>): Promise<FastifyReply> {
  try {
    const lines = await fn();
    if (req.session) req.session.flash = { kind: 'ok', lines };
  } catch (e) {
    if (!(e instanceof InputRejected)) throw e;
    if (req.session) req.session.flash = { kind: 'error', lines: errorLines(e.errors) };
    if ((req.headers.accept ?? '').includes('application/json')) return reply.code(422).send({ error: 'input rejected', errors: e.errors });
  }
  return reply.redirect(back, 303);
}

/** A required short text field of a form body. */
export function field(req: FastifyRequest, name: string, max = 2000): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
}

// 导入 batches: the upload (one file per request, CSV or XLSX, size-limited), all or nothing through
// `bookImport`; the row errors come back as a table and as the importer's bilingual error report (CSV).
// An uploaded file is written under the book's own tmp folder, in a fresh folder named by the server, under a
// name reduced to letters, digits and `._-` (the name the batch records); nothing of the request's path survives.
import { mkdirSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bookImport } from '../../app/book.js';
import { errorReportText } from '../../claims/report.js';
import { InputRejected } from '../../domain/errors.js';
import { type Web, userOf } from '../app.js';
import { h, table } from '../html.js';
import type { BookService } from '../service.js';
import { STAFF } from '../routes.js';

export interface Upload {
  readonly path: string; // where it was written (inside the book's tmp folder)
  readonly shown: string; // the name the user gave, reduced
  /** Errors that name the temporary path name the file as the user knows it. */
  rename(e: unknown): unknown;
  remove(): void;
}

/** The file's name reduced to a safe one: letters (any script), digits, `._-`; no leading dot; at most 120 characters. */
export function safeFileName(name: string, extensions: readonly string[]): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '').slice(-120);
  const lower = cleaned.toLowerCase();
  if (!extensions.some((x) => lower.endsWith(x)) || cleaned.length <= 4) return undefined;
  return cleaned;
}

function refused(zh: string, en: string): InputRejected {
  return new InputRejected([{ file: 'upload', rule: 'upload.rejected', zh, en }]);
}

/** Receives the request's one file (multipart field `file`). */
export async function receiveUpload(req: FastifyRequest, service: BookService, extensions: readonly string[]): Promise<Upload> {
  if (!req.isMultipart()) throw refused('请以 multipart/form-data 上传文件', 'send the file as multipart/form-data');
  const part = await req.file();
  if (!part) throw refused('没有收到文件', 'no file received');
  const shown = safeFileName(part.filename, extensions);
  if (!shown) {
    part.file.resume();
    throw refused(`只接受 ${extensions.join(' / ')} 文件：${part.filename}`, `only ${extensions.join(' / ')} files are accepted: ${part.filename}`);
  }
  const folder = service.store.tempPath(`upload-${randomBytes(12).toString('hex')}`);
  mkdirSync(folder);
  const path = join(folder, shown);
  const remove = () => rmSync(folder, { recursive: true, force: true });
  try {
    await pipeline(part.file, createWriteStream(path, { flags: 'wx' }));
  } catch (e) {
    remove();
    throw e;
  }
  if (part.file.truncated) {
    remove();
    const e = new Error('file too large') as Error & { statusCode: number };
    e.statusCode = 413;
    throw e;
  }
  return {
    path,
    shown,
    remove,
    rename(e) {
      if (!(e instanceof InputRejected)) return e;
      return new InputRejected(e.errors.map((x) => (x.file === path ? { ...x, file: shown } : x)), e.totalErrors);
    },
  };
}

export function registerImport(app: FastifyInstance, web: Web): void {
  const { service } = web;

  app.get('/import', { config: { roles: STAFF } }, async (req, reply) => {
    const { state, events } = service.current();
    const at = new Map<string, string>();
    for (const e of events) if (e.kind === 'import') at.set(e.batch.sha256, e.at);
    const u = userOf(req);
    const upload =
      u.role === 'operator'
        ? h`<form id="import-form" class="upload drop" data-upload="/api/import" data-accept=".csv,.xlsx">
            <p>把结算明细文件拖到这里，或选择文件（CSV UTF-8/GB18030 或 XLSX，整批导入，有错则不导入）<br>
            <small>Drop a claims file here or choose one (CSV in UTF-8/GB18030, or XLSX); all or nothing: nothing is stored on error</small></p>
            <input type="file" name="file" accept=".csv,.xlsx" required><button>导入 Import</button>
            <progress value="0" max="100" hidden></progress><div class="phase"></div><div class="result"></div></form>`
        : '';
    const body = h`${upload}
      <h2>已导入批次 <small>batches imported</small></h2>
      ${table(
        state.batches,
        [
          { zh: '批次', en: 'batch', cell: (b) => b.seq, num: true },
          { zh: '文件', en: 'file', cell: (b) => b.file },
          { zh: '行数', en: 'rows', cell: (b) => b.rows.toLocaleString('en-US'), num: true },
          { zh: '迟到行', en: 'late rows', cell: (b) => b.late.toLocaleString('en-US'), num: true },
          { zh: '导入时间', en: 'imported at', cell: (b) => at.get(b.sha256) ?? '' },
          { zh: 'SHA-256', en: '', cell: (b) => h`<code title="${b.sha256}">${b.sha256.slice(0, 16)}…</code>` },
        ],
        { id: 'batches' },
      )}`;
    return web.send(reply, web.frame(req, 'import'), body);
  });

  app.post('/api/import', { config: { roles: ['operator'] } }, async (req, reply) => {
    const upload = await receiveUpload(req, service, ['.csv', '.xlsx']);
    try {
      const r = await service.bookCommand(web.actor(req), (store, ctx) => bookImport(store, [upload.path], ctx, { progress: false }));
      return reply.send({ ok: true, lines: r.lines });
    } catch (e) {
      const err = upload.rename(e);
      if (err instanceof InputRejected) {
        req.session!.importErrors = { file: upload.shown, csv: errorReportText(err.errors) };
        await service.audit(web.actor(req), 'import.rejected', `${upload.shown}: ${err.totalErrors} error(s)`);
        return reply.code(422).send({ ok: false, errors: err.errors.slice(0, 1000), total: err.totalErrors, report: '/import/errors.csv' });
      }
      throw err;
    } finally {
      upload.remove();
    }
  });

  app.get('/import/errors.csv', { config: { roles: ['operator'] } }, async (req, reply) => {
    const r = req.session!.importErrors;
    if (!r) return reply.code(404).send({ error: '没有被拒绝的导入 / no rejected import in this session' });
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(`${r.file}-errors.csv`)}`)
      .send(r.csv);
  });
}

// `yibao serve --book DIR [--host 127.0.0.1] [--port 8080]` and `yibao users add DIR --name N --role R
// [--institution ID] [--password-file F]`: the web workspace over a book (src/server) and its accounts.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { addUser, listUsers, ROLES, ROLE_LABELS } from '../book/users.js';
import { InputRejected } from '../domain/errors.js';

/** Reads a password from the terminal without echo (or from a pipe: the first line). */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(text);
        }
        if (ch === '\u0003') {
          done();
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('网页工作台 Serve the web workspace over a book (binds 127.0.0.1 unless told otherwise)')
    .requiredOption('--book <dir>', 'book folder 账簿目录')
    .option('--host <host>', 'address to listen on 监听地址', '127.0.0.1')
    .option('--port <port>', 'port 端口', (v) => Number(v), 8080)
    .option('--secure-cookies', 'mark session cookies Secure (behind HTTPS) 仅 HTTPS 发送 Cookie')
    .option('--max-upload-mb <n>', 'largest upload, MiB 上传上限', (v) => Number(v), 512)
    .action(async (opts: { book: string; host: string; port: number; secureCookies?: boolean; maxUploadMb: number }) => {
      const { BookService } = await import('../server/service.js');
      const { buildServer } = await import('../server/app.js');
      const service = await BookService.open(opts.book, () => new Date().toISOString());
      const users = await service.exclusive((store) => listUsers(store.db));
      if (users.length === 0) process.stderr.write(`账簿还没有用户，请先停止服务并运行 yibao users add ${opts.book} --name … --role operator / the book has no users yet: stop the server and run yibao users add\n`);
      const app = await buildServer(service, { secureCookies: opts.secureCookies, maxUploadBytes: opts.maxUploadMb * 1024 * 1024 });
      const stop = async () => {
        await app.close();
        await service.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host) && !opts.secureCookies) {
        process.stderr.write(`注意：在 ${opts.host} 上以明文 HTTP 提供服务，请置于 HTTPS 反向代理之后并加 --secure-cookies / warning: serving plain HTTP on ${opts.host}; put it behind an HTTPS proxy and add --secure-cookies\n`);
      }
      const address = await app.listen({ host: opts.host, port: opts.port });
      // Read the year's claims now (the overview, member pages and what-ifs use them), not on the first request.
      const { yearClaims } = await import('../server/queries.js');
      void yearClaims(service).catch(() => undefined);
      process.stdout.write(`yibao 网页工作台已启动 / web workspace at ${address}（PID ${process.pid}；Ctrl-C 停止 to stop）\n`);
    });

  const users = program.command('users').description('用户 Accounts of the web workspace (stored in the book)');
  users
    .command('add')
    .description('添加用户 Add a user (password from the terminal, or --password-file)')
    .argument('<dir>', 'book folder 账簿目录')
    .requiredOption('--name <name>', 'user name 用户名')
    .addOption(new Option('--role <role>', `role 角色: ${ROLES.map((r) => `${r} ${ROLE_LABELS[r].zh}`).join(', ')}`).choices([...ROLES]).makeOptionMandatory())
    .option('--institution <id>', 'member institution (role member) 所属机构')
    .option('--password-file <file>', 'read the password from the first line of this file 从文件读取密码')
    .action(async (dir: string, opts: { name: string; role: string; institution?: string; passwordFile?: string }) => {
      let password: string;
      if (opts.passwordFile) {
        try {
          password = readFileSync(opts.passwordFile, 'utf8').split(/\r?\n/)[0];
        } catch (e) {
          throw new InputRejected([{ file: opts.passwordFile, rule: 'file.unreadable', zh: `无法读取密码文件：${(e as Error).message}`, en: `cannot read the password file: ${(e as Error).message}` }]);
        }
      } else {
        password = await readPassword(`${opts.name} 的密码 / password for ${opts.name}: `);
      }
      const { cliContext, loadBook, withBook } = await import('../app/book.js'); // DuckDB: loaded when a command runs
      const user = await withBook(dir, 'users add', async (store) => {
        const { state } = await loadBook(store);
        const members = state.versions[state.versions.length - 1].scenario.group.members.map((m) => m.id);
        const u = await addUser(store.db, { name: opts.name, role: opts.role, institution: opts.institution, password }, members, cliContext.now());
        await store.audit(cliContext.now(), cliContext.actor, 'users.add', `${u.name} ${u.role}${u.institution ? ` ${u.institution}` : ''}`);
        return u;
      });
      process.stdout.write(`已添加用户 ${user.name}（${ROLE_LABELS[user.role].zh}${user.institution ? ` · ${user.institution}` : ''}）/ added user ${user.name} (${ROLE_LABELS[user.role].en}${user.institution ? `, ${user.institution}` : ''})\n`);
    });
  users
    .command('list')
    .description('列出用户 List users')
    .argument('<dir>', 'book folder 账簿目录')
    .action(async (dir: string) => {
      const { withBook } = await import('../app/book.js');
      const list = await withBook(dir, 'users list', (store) => listUsers(store.db));
      for (const u of list) process.stdout.write(`${u.name}\t${u.role} ${ROLE_LABELS[u.role].zh}${u.institution ? `\t${u.institution}` : ''}\n`);
    });
}

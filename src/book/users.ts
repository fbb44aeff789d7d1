// 用户 (users of the web workspace): a `users` table in the book's database, created by this module (the book's
// own schema does not know it). Passwords are kept only as scrypt hashes with a random salt per user; the clear
// password is never stored or logged. Roles: 经办 operator, 审核 reviewer, 机构 member (one institution), 审计 auditor.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputRejected } from '../domain/errors.js';
import { lookalikeKey } from '../domain/codes.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export const ROLES = ['operator', 'reviewer', 'member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** One source for the roles' labels (中文 first). */
export const ROLE_LABELS: Readonly<Record<Role, { zh: string; en: string }>> = {
  operator: { zh: '经办', en: 'operator' },
  reviewer: { zh: '审核', en: 'reviewer' },
  member: { zh: '机构', en: 'member' },
  auditor: { zh: '审计', en: 'auditor' },
};

export interface User {
  readonly name: string;
  readonly role: Role;
  readonly institution: string | null; // members only
}

/** scrypt cost N = 2^15, r = 8, p = 3: one of OWASP's equivalent minimums (32 MiB per hash); stored per user. */
const PARAMS = { N: 1 << 15, r: 8, p: 3, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 8;

export async function ensureUsersTable(db: DuckDBConnection): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, institution VARCHAR,
    salt VARCHAR NOT NULL, hash VARCHAR NOT NULL, params VARCHAR NOT NULL, created_at VARCHAR NOT NULL)`);
}

function rejected(rule: string, zh: string, en: string, value?: string): InputRejected {
  return new InputRejected([{ path: rule.startsWith('user.password') ? '--password' : '--name', rule, zh, en, value }]);
}

export async function hashPassword(password: string): Promise<{ salt: string; hash: string; params: string }> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, PARAMS);
  return { salt: salt.toString('base64'), hash: key.toString('base64'), params: JSON.stringify({ N: PARAMS.N, r: PARAMS.r, p: PARAMS.p }) };
}

/**
 * Adds a user. `members` are the group's member ids (a member user must name one of them).
 * Names: 1–64 letters, digits, `_ . -` (also Chinese letters).
 */
export async function addUser(
  db: DuckDBConnection,
  user: { name: string; role: string; institution?: string; password: string },
  members: readonly string[],
  at: string,
): Promise<User> {
  await ensureUsersTable(db);
  if (!/^[\p{L}\p{N}_.-]{1,64}$/u.test(user.name)) {
    throw rejected('user.name', `用户名只能由字母、数字、_ . - 组成（1–64 个字符）：${user.name}`, `a user name is 1–64 letters, digits, _ . -: ${user.name}`, user.name);
  }
  if (!(ROLES as readonly string[]).includes(user.role)) {
    throw new InputRejected([{ path: '--role', rule: 'user.role', value: user.role, zh: `角色应为 ${ROLES.join(' / ')} 之一`, en: `the role must be one of ${ROLES.join(', ')}` }]);
  }
  const role = user.role as Role;
  let institution: string | null = null;
  if (role === 'member') {
    if (!user.institution || !members.includes(user.institution)) {
      throw new InputRejected([
        { path: '--institution', rule: 'user.institution', value: user.institution ?? '', zh: `机构用户须用 --institution 指定本医共体的成员机构（${members.join('、')}）`, en: `a member user needs --institution naming one of the group's members (${members.join(', ')})` },
      ]);
    }
    institution = user.institution;
  } else if (user.institution) {
    throw new InputRejected([{ path: '--institution', rule: 'user.institutionRole', value: user.institution, zh: '只有机构（member）用户属于某个机构', en: 'only member users belong to an institution' }]);
  }
  if ([...user.password].length < MIN_PASSWORD_LENGTH) {
    throw rejected('user.password', `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`, `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (await userExists(db, user.name)) throw rejected('user.exists', `用户 ${user.name} 已存在`, `user ${user.name} already exists`, user.name);
  // Names that differ only by case or full-width forms (OP, ｏｐ beside op) read as one person in the audit log
  // (codes.ts lookalikeKey: the same key as for member codes).
  const same = (await listUsers(db)).find((u) => lookalikeKey(u.name) === lookalikeKey(user.name));
  if (same !== undefined) {
    throw rejected('user.lookalike', `用户名 ${user.name} 与已有用户 ${same.name} 仅大小写或全角半角不同，审计日志中难以区分`, `the user name ${user.name} differs from the existing user ${same.name} only by case or full-width forms, which the audit log cannot tell apart`, user.name);
  }
  const h = await hashPassword(user.password);
  await db.run('INSERT INTO users VALUES ($1, $2, $3, $4, $5, $6, $7)', [user.name, role, institution, h.salt, h.hash, h.params, at]);
  return { name: user.name, role, institution };
}

export async function listUsers(db: DuckDBConnection): Promise<User[]> {
  await ensureUsersTable(db);
  const r = await db.runAndReadAll('SELECT name, role, institution FROM users ORDER BY name');
  return r.getRows().map(([n, role, inst]) => ({ name: String(n), role: String(role) as Role, institution: inst === null ? null : String(inst) }));
}

/** Whether a user of that exact name exists (to name a failed sign-in in the audit log only by a real name). */
export async function userExists(db: DuckDBConnection, name: string): Promise<boolean> {
  await ensureUsersTable(db);
  return (await db.runAndReadAll('SELECT 1 FROM users WHERE name = $1', [name])).getRows().length > 0;
}

/** A dummy hash compared against when the user does not exist, so that timing does not tell which names exist. */
let dummy: { salt: string; hash: string; params: string } | undefined;

/** The user when the password is right; undefined otherwise (same work either way). */
export async function checkPassword(db: DuckDBConnection, name: string, password: string): Promise<User | undefined> {
  await ensureUsersTable(db);
  const r = await db.runAndReadAll('SELECT name, role, institution, salt, hash, params FROM users WHERE name = $1', [name]);
  const row = r.getRows()[0];
  dummy ??= await hashPassword(randomBytes(12).toString('hex'));
  const [salt, hash, params] = row ? [String(row[3]), String(row[4]), String(row[5])] : [dummy.salt, dummy.hash, dummy.params];
  const p = JSON.parse(params) as { N: number; r: number; p: number };
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { ...p, maxmem: PARAMS.maxmem });
  const ok = timingSafeEqual(key, expected);
  if (!ok || !row) return undefined;
  return { name: String(row[0]), role: String(row[1]) as Role, institution: row[2] === null ? null : String(row[2]) };
}

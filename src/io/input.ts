// Reading the small input files (scenario, DRG/DIP tables, mapping): regular files only, within a size limit, and
// decoded the way Chinese Windows saves text — a UTF-8 BOM or valid UTF-8 is UTF-8, anything else GB18030 (GBK,
// Notepad's "ANSI"). A FIFO or /dev/urandom named as an input is an error, never a hang.
import { readFileSync, statSync } from 'node:fs';
import { InputRejected } from '../domain/errors.js';
import type { InputError } from '../domain/types.js';

/** Size limits: far above any real scenario, table or mapping file, far below what would exhaust memory. */
export const MAX_BYTES = {
  scenario: 4 << 20, // 4 MB
  table: 64 << 20, // 64 MB: a DRG/DIP table has a few thousand rows
  mapping: 1 << 20, // 1 MB
} as const;
export type InputKind = keyof typeof MAX_BYTES;

const KIND_ZH: Readonly<Record<InputKind, string>> = { scenario: '场景文件', table: '分组表', mapping: '列映射文件' };
const KIND_EN: Readonly<Record<InputKind, string>> = { scenario: 'scenario file', table: 'table', mapping: 'mapping file' };

function fail(file: string, rule: string, zh: string, en: string): never {
  const e: InputError = { file, rule, zh, en };
  throw new InputRejected([e]);
}

/** Why a path is not a readable regular file, in both languages; undefined when it is one. */
export function notRegularFile(path: string): { zh: string; en: string } | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return { zh: '文件不存在', en: 'file not found' };
    if (code === 'EACCES') return { zh: '无权限读取', en: 'permission denied' };
    return { zh: `无法读取（${code ?? String(e)}）`, en: `cannot read it (${code ?? String(e)})` };
  }
  if (st.isDirectory()) return { zh: '这是一个文件夹，不是文件', en: 'is a folder, not a file' };
  if (!st.isFile()) return { zh: '不是普通文件（管道、设备或套接字）', en: 'is not a regular file (a pipe, device or socket)' };
  return undefined;
}

/** The bytes of a regular file of at most `MAX_BYTES[kind]`, or InputRejected naming the file. */
export function readInputBytes(path: string, shown: string, kind: InputKind): Buffer {
  const why = notRegularFile(path);
  if (why) fail(shown, 'file.unreadable', `无法读取${KIND_ZH[kind]}：${why.zh}`, `cannot read the ${KIND_EN[kind]}: ${why.en}`);
  const size = statSync(path).size;
  const max = MAX_BYTES[kind];
  if (size > max) {
    fail(
      shown,
      'file.tooLarge',
      `${KIND_ZH[kind]}过大（${size.toLocaleString('en-US')} 字节，上限 ${max.toLocaleString('en-US')} 字节）`,
      `the ${KIND_EN[kind]} is too large (${size.toLocaleString('en-US')} bytes; the limit is ${max.toLocaleString('en-US')})`,
    );
  }
  try {
    return readFileSync(path);
  } catch (e) {
    return fail(shown, 'file.unreadable', `无法读取${KIND_ZH[kind]}：${String(e)}`, `cannot read the ${KIND_EN[kind]}: ${String(e)}`);
  }
}

/** Text of bytes: BOM or valid UTF-8 → UTF-8, else GB18030; undefined when neither decodes. BOM removed. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } | undefined {
  for (const encoding of ['utf-8', 'gb18030'] as const) {
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
      return { text: text.replace(/^\uFEFF/, ''), encoding };
    } catch {
      // try the next
    }
  }
  return undefined;
}

/** A regular, bounded input file decoded as UTF-8 or GB18030, or InputRejected naming the file. */
export function readInputText(path: string, shown: string, kind: InputKind): { bytes: Buffer; text: string } {
  const bytes = readInputBytes(path, shown, kind);
  const decoded = decodeText(bytes);
  if (decoded === undefined) {
    fail(
      shown,
      'file.encoding',
      `${KIND_ZH[kind]}既不是 UTF-8 也不是 GB18030（GBK）编码的文本，请另存为 UTF-8`,
      `the ${KIND_EN[kind]} is neither UTF-8 nor GB18030 (GBK) text: save it as UTF-8`,
    );
  }
  return { bytes, text: decoded.text };
}

// Reads a scenario file (YAML or JSON) from disk: parse with every scalar as text, check shape and rules, load the
// DRG/DIP tables it names, and resolve claims paths against the scenario file's folder. Every problem is collected.
import { createHash } from 'node:crypto';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import YAML from 'yaml';
import { InputRejected } from '../domain/errors.js';
import { readInputText } from '../io/input.js';
import type { InputError, Scenario } from '../domain/types.js';
import type { InputFile } from '../domain/result.js';
import { buildScenario, type Tables } from './build.js';
import { zodIssueToError } from './messages.js';
import { type Obj, applySets, deepMerge, getAtPath, isMapping, setAtPath, splitAssignment } from './overrides.js';
import { checkScenarioRules } from './rules.js';
import { scenarioSchema, type RawScenario } from './schema.js';
import { readDipGroupsFile, readDrgWeightsFile } from './tables.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  readonly inputs: readonly InputFile[]; // the scenario and its tables, with SHA-256
  /** The effective scenario object after `extends` and `--set` (string-valued, paths as written), for display. */
  readonly effective?: Readonly<Record<string, unknown>>;
  /** Every file the run reads, absolute: the scenario chain, claims, tables, the special-case list. */
  readonly sources?: readonly string[];
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Drops YAML null forms ("" and "~") so that an empty key counts as absent. */
export function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === '' || v === '~' || v === null || v === undefined) continue;
      out[k] = dropEmpty(v);
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

/** Parses scenario text: YAML 1.2 with the failsafe schema (JSON is a subset), so every scalar stays as written. */
export function parseScenarioText(text: string, file: string): unknown {
  return dropEmpty(parseScenarioTextRaw(text, file));
}

/** The Chinese for the YAML library's error codes (its English message is kept for the English half). */
const YAML_ERROR_ZH: Readonly<Record<string, string>> = {
  BAD_INDENT: '缩进不正确',
  TAB_AS_INDENT: '不能用制表符（Tab）缩进，请改用空格',
  DUPLICATE_KEY: '同一层中键重复',
  MULTILINE_IMPLICIT_KEY: '键必须写在一行内（可能缺少冒号，或冒号后缺少空格）',
  MISSING_CHAR: '缺少字符（如闭合的引号或括号）',
  UNEXPECTED_TOKEN: '出现了意外的符号',
  BLOCK_AS_IMPLICIT_KEY: '键的写法不正确',
  BAD_SCALAR_START: '值不能以该字符开头（请加引号）',
  BAD_DIRECTIVE: '指令不正确',
  MULTIPLE_DOCS: '文件中只能有一个文档（不要使用 ---）',
};

function syntaxError(file: string, text: string, code: string, line: number | undefined, message: string): InputError {
  const lineText = line === undefined ? '' : (text.split(/\r\n|\r|\n/)[line - 1] ?? '');
  // A full-width colon (Chinese input method) looks like a key separator but is not one.
  const fullWidth = /：/.test(lineText);
  const where = line === undefined ? '' : `第 ${line} 行：`;
  return {
    file,
    row: line,
    rule: 'syntax',
    value: lineText.trim() === '' ? undefined : lineText.trim(),
    zh: `场景文件语法错误，${where}${YAML_ERROR_ZH[code] ?? `YAML 语法错误（${code}）`}${fullWidth ? '。该行有全角冒号"："，键与值之间须用半角冒号":"加空格' : ''}`,
    en: `scenario syntax error: ${message.split('\n')[0].replace(/:$/, '')}${fullWidth ? '. The line has a full-width colon "：": write a key and its value separated by ": " (ASCII colon and a space)' : ''}`,
  };
}

/** Like parseScenarioText, but keeps empty values ("", "~", null): in an extending file they remove a key. */
export function parseScenarioTextRaw(text: string, file: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  const doc = YAML.parseDocument(source, { schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputRejected(doc.errors.map((e) => syntaxError(file, source, e.code, e.linePos?.[0]?.line, e.message)));
  }
  // Anchors and aliases (& and *) are refused: a self-reference never ends and an alias bomb exhausts memory, and
  // a scenario a clerk reads should say each value where it applies.
  let alias: number | undefined;
  YAML.visit(doc, {
    Alias(_key, node) {
      alias = node.range?.[0] ?? 0;
      return YAML.visit.BREAK;
    },
  });
  if (alias !== undefined) {
    const line = source.slice(0, alias).split(/\r\n|\r|\n/).length;
    throw new InputRejected([
      {
        file,
        row: line,
        rule: 'syntax.alias',
        zh: `场景文件第 ${line} 行使用了 YAML 别名（*），场景文件不支持锚点与别名（& 和 *）：请把值直接写出`,
        en: `line ${line} uses a YAML alias (*); scenario files do not support anchors and aliases (& and *): write the values out`,
      },
    ]);
  }
  return doc.toJS();
}

/** Tables read once per path and reused (what-if runs validate many variants of one scenario). */
export type TableCache = Map<string, ReturnType<typeof readDrgWeightsFile> | ReturnType<typeof readDipGroupsFile>>;

/** Validates an already-parsed scenario object (from a file, or after `extends`/`--set` overrides). */
export function scenarioFromObject(
  obj: unknown,
  file: string,
  baseDir: string,
  options: { tableCache?: TableCache } = {},
): { scenario: Scenario; tables: InputFile[] } {
  const cached = <T extends ReturnType<typeof readDrgWeightsFile> | ReturnType<typeof readDipGroupsFile>>(
    kind: string,
    full: string,
    read: () => T,
  ): T => {
    const c = options.tableCache;
    if (c === undefined) return read();
    const key = `${kind}\u0000${full}`;
    let hit = c.get(key) as T | undefined;
    if (hit === undefined) {
      hit = read();
      c.set(key, hit);
    }
    return hit;
  };
  // jitless: zod would otherwise generate and compile a parser for each object schema on its first use, which costs
  // a one-scenario run (settle) about 15 ms more than it saves; a repeated parse is under 0.1 ms slower.
  const parsed = scenarioSchema.safeParse(obj, { jitless: true });
  if (!parsed.success) {
    const shape = parsed.error.issues.map((i) => zodIssueToError(i, obj, file));
    const flagged = new Set(shape.map((e) => e.path));
    const rules = obj !== null && typeof obj === 'object' ? checkScenarioRules(obj as RawScenario, file) : [];
    throw new InputRejected([...shape, ...rules.filter((e) => !flagged.has(e.path))]);
  }
  const raw: RawScenario = parsed.data;
  const errors: InputError[] = checkScenarioRules(raw, file);
  const tables: { drgWeights?: Tables['drgWeights']; dipGroups?: Tables['dipGroups'] } = {};
  const tableFiles: InputFile[] = [];
  if (raw.payments?.drg?.weightsFile) {
    const path = raw.payments.drg.weightsFile;
    const res = cached('drg', resolve(baseDir, path), () => readDrgWeightsFile(resolve(baseDir, path), path));
    errors.push(...res.errors);
    tables.drgWeights = res.table;
    if (res.sha256) tableFiles.push({ role: 'table', file: path, sha256: res.sha256 });
  }
  if (raw.payments?.dip?.groupsFile) {
    const path = raw.payments.dip.groupsFile;
    const res = cached('dip', resolve(baseDir, path), () => readDipGroupsFile(resolve(baseDir, path), path));
    errors.push(...res.errors);
    tables.dipGroups = res.table;
    if (res.sha256) tableFiles.push({ role: 'table', file: path, sha256: res.sha256 });
  }
  if (errors.length > 0) throw new InputRejected(errors);
  const claims = raw.claims === undefined ? [] : Array.isArray(raw.claims) ? raw.claims : [raw.claims];
  const scenario = buildScenario(
    raw,
    claims.map((c) => resolve(baseDir, c)),
    tables,
    raw.specialCases && resolve(baseDir, raw.specialCases.file),
  );
  return { scenario, tables: tableFiles };
}

/** Loads a scenario file (following `extends`), validates it, reads its tables. */
export function loadScenarioFile(file: string): LoadedScenario {
  return loadScenarioWithOverrides(file, []);
}


/** Keys whose values are file paths, written relative to the file that wrote them. */
const PATH_KEYS: ReadonlyArray<readonly string[]> = [
  ['payments', 'drg', 'weightsFile'],
  ['payments', 'dip', 'groupsFile'],
  ['specialCases', 'file'],
];

/**
 * Where a scenario may name files. The command line may name any file; a policy version uploaded through the web
 * workspace only the files in its upload folder (`within`), so that an upload can never read a file of the server.
 */
export interface ScenarioReadOptions {
  readonly within?: string;
}

/** Whether `abs` lies outside the folder `within` (never, when there is no such folder). */
function outside(within: string | undefined, abs: string): boolean {
  if (within === undefined) return false;
  const rel = relative(resolve(within), abs);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** The error for a file named outside `within` (the path refused before anything is read). */
function outsideError(file: string, path: string, written: string): InputError {
  return {
    file,
    path,
    value: written,
    rule: 'path.outsideUpload',
    zh: `${path} 指向上传文件以外的文件：网页上传的政策版本只能引用账簿已有的版本（extends 写版本的文件名），其余内容请直接写在文件中`,
    en: `${path} names a file outside the upload: a policy version uploaded through the web may only extend a version the book holds (by its file name); write everything else in the file itself`,
  };
}

/**
 * Rewrites the file paths of one scenario object to absolute paths (against `dir`), remembering how each should be
 * shown (`display(abs)`). Paths already absolute are left alone. With `within`, a path outside it is refused.
 */
function absolutizePaths(
  obj: unknown,
  dir: string,
  display: Map<string, string>,
  shownAs: (written: string, abs: string) => string,
  refuse?: { readonly within: string | undefined; readonly file: string },
): unknown {
  if (!isMapping(obj)) return obj;
  let out: Obj = obj;
  const errors: InputError[] = [];
  const fix = (written: unknown, path: string): unknown => {
    if (typeof written !== 'string' || written.trim() === '' || written === '~') return written;
    if (isAbsolute(written) && display.has(written)) return written;
    const abs = resolve(dir, written);
    if (refuse !== undefined && outside(refuse.within, abs)) errors.push(outsideError(refuse.file, path, written));
    if (!display.has(abs)) display.set(abs, shownAs(written, abs));
    return abs;
  };
  const claims = out.claims;
  if (typeof claims === 'string') out = { ...out, claims: fix(claims, 'claims') };
  else if (Array.isArray(claims)) out = { ...out, claims: claims.map((c, i) => fix(c, `claims[${i}]`)) };
  for (const keys of PATH_KEYS) {
    const v = getAtPath(out, keys);
    if (typeof v === 'string' && v !== '' && v !== '~') out = setAtPath(out, keys, fix(v, keys.join('.')));
  }
  if (errors.length > 0) throw new InputRejected(errors);
  return out;
}

/** Replaces absolute paths by their display text (for `claimsAsWritten`, table inputs and the effective object). */
function displayPaths(obj: Obj, display: ReadonlyMap<string, string>): Obj {
  const show = (v: unknown) => (typeof v === 'string' ? (display.get(v) ?? v) : v);
  let out: Obj = obj;
  if (typeof out.claims === 'string') out = { ...out, claims: show(out.claims) };
  else if (Array.isArray(out.claims)) out = { ...out, claims: out.claims.map(show) };
  for (const keys of PATH_KEYS) {
    const v = getAtPath(out, keys);
    if (typeof v === 'string') out = setAtPath(out, keys, show(v));
  }
  return out;
}

interface ChainFile {
  readonly abs: string;
  readonly shown: string;
  readonly bytes: Buffer;
}

/** Reads a scenario and the chain of files it `extends`, merged base-first; paths made absolute. */
function readChain(
  file: string,
  topDir: string,
  display: Map<string, string>,
  stack: readonly string[],
  files: ChainFile[],
  within: string | undefined,
): unknown {
  const abs = resolve(file);
  const shown = stack.length === 0 ? file : relative(topDir, abs) || basename(abs);
  if (stack.includes(abs)) {
    const cycle = [...stack, abs].map((p) => relative(topDir, p) || basename(p)).join(' → ');
    throw new InputRejected([
      { file: shown, path: 'extends', rule: 'extends.cycle', zh: `extends 形成循环：${cycle}`, en: `extends forms a cycle: ${cycle}` },
    ]);
  }
  // A regular file within the size limit; UTF-8, or GB18030 as Windows Notepad saves "ANSI" (never garbled names).
  const { bytes, text } = readInputText(abs, shown, 'scenario');
  files.push({ abs, shown, bytes });
  const dir = dirname(abs);
  const top = stack.length === 0;
  let obj = parseScenarioTextRaw(text, shown);
  if (!isMapping(obj)) return obj; // the schema reports it
  obj = absolutizePaths(obj, dir, display, (written, p) => (top ? written : relative(topDir, p)), { within, file: shown });
  const ext = (obj as Obj).extends;
  const own: Obj = { ...(obj as Obj) };
  delete own.extends;
  if (ext === undefined || ext === null || ext === '' || ext === '~') return own;
  if (typeof ext !== 'string') {
    throw new InputRejected([
      { file: shown, path: 'extends', rule: 'extends.type', zh: 'extends 应为一个场景文件路径', en: 'extends must be the path of one scenario file' },
    ]);
  }
  if (outside(within, resolve(dir, ext))) throw new InputRejected([outsideError(shown, 'extends', ext)]);
  const base = readChain(resolve(dir, ext), topDir, display, [...stack, abs], files, within);
  return deepMerge(base, own);
}

/** A scenario object after `extends` (and `--set`), before validation; file paths in it are absolute. */
export interface ScenarioObject {
  readonly file: string;
  readonly topDir: string;
  readonly obj: unknown;
  /** absolute path → the text to show for it (as written, relative to the top scenario file). */
  readonly display: ReadonlyMap<string, string>;
  readonly inputs: readonly InputFile[]; // the scenario files of the chain and each --set, with SHA-256
  /** The scenario files of the chain, absolute (for the outputs a run must never write over). */
  readonly chain?: readonly string[];
}

/** Reads a scenario and its `extends` chain, applies `--set` assignments in order; does not validate. */
export function readScenarioObject(file: string, sets: readonly string[] = [], options: ScenarioReadOptions = {}): ScenarioObject {
  const topDir = dirname(resolve(file));
  const display = new Map<string, string>();
  const files: ChainFile[] = [];
  if (outside(options.within, resolve(file))) throw new InputRejected([outsideError(basename(file), 'file', basename(file))]);
  const obj = readChain(file, topDir, display, [], files, options.within);
  const inputs: InputFile[] = files.map((f, i) => ({ role: 'scenario' as const, file: i === 0 ? basename(f.abs) : f.shown, sha256: sha256(f.bytes) }));
  return applyScenarioSets({ file, topDir, obj, display, inputs, chain: files.map((f) => f.abs) }, sets);
}

/** Applies more `--set` assignments to a scenario object (paths relative to the top scenario file). */
export function applyScenarioSets(so: ScenarioObject, sets: readonly string[]): ScenarioObject {
  if (sets.length === 0) return so;
  const display = new Map(so.display);
  let obj: unknown = isMapping(so.obj) ? so.obj : {};
  obj = applySets(obj as Obj, sets);
  obj = absolutizePaths(obj, so.topDir, display, (written) => written);
  const inputs = [
    ...so.inputs,
    ...sets.map((s) => {
      const { path, value } = splitAssignment(s);
      const text = `${path}=${value}`;
      return { role: 'scenario' as const, file: `--set ${text}`, sha256: sha256(text) };
    }),
  ];
  return { ...so, obj, display, inputs };
}

/** Validates a scenario object (errors carry key paths) and builds the loaded scenario, paths shown as written. */
export function loadedFromObject(so: ScenarioObject, options: { tableCache?: TableCache } = {}): LoadedScenario {
  const obj = dropEmpty(so.obj);
  const { scenario, tables } = scenarioFromObject(obj, so.file, so.topDir, options);
  const claimsAsWritten = scenario.claims.map((p) => so.display.get(p) ?? p);
  const shownTables = tables.map((t) => ({ ...t, file: so.display.get(t.file) ?? t.file }));
  const effective = isMapping(obj) ? displayPaths(obj, so.display) : {};
  const sc = scenario.specialCases;
  const specialCases = sc && { ...sc, fileAsWritten: so.display.get(sc.file) ?? sc.fileAsWritten };
  const sources = [...(so.chain ?? [resolve(so.file)]), ...scenario.claims, ...tables.map((t) => t.file), ...(sc ? [sc.file] : [])];
  return { scenario: { ...scenario, claimsAsWritten, specialCases }, file: so.file, inputs: [...so.inputs, ...shownTables], effective, sources };
}

/**
 * Loads a scenario with its `extends` chain and `--set KEY=VALUE` overrides applied in order, then validates the
 * result (errors carry the key path). `--set` file paths (claims, weightsFile, groupsFile) are relative to the
 * scenario file, as if written in it. The result's `inputs` list every scenario file of the chain and each --set.
 */
export function loadScenarioWithOverrides(file: string, sets: readonly string[] = [], options: { tableCache?: TableCache } = {}): LoadedScenario {
  return loadedFromObject(readScenarioObject(file, sets), options);
}

// Scenario variants (方案变体): `extends: base.yaml` deep-merges a scenario over its base, and `--set KEY=VALUE`
// overrides one key for one run. Both work on the parsed, string-valued scenario object BEFORE validation, so an
// invalid override is reported by the same schema and rules as a scenario file, with its key path.
//
//  - Mappings merge key by key; lists are replaced whole (address one element with `--set a.b[1].c=…`).
//  - An empty value or `~` in an extending file, or `--set KEY=` / `--set KEY=~`, removes the inherited key.
//  - A `--set` value is read as a YAML failsafe scalar or flow collection: `--set 'settlement.surplus.bands=[{share: 1}]'`.
//  - A `--set` path through a scalar, or into a list index that does not exist, is an error naming the path.
// Nothing here touches files: the loader (load.ts) reads the files and calls these.
import YAML from 'yaml';
import { InputRejected } from '../domain/errors.js';
import type { InputError } from '../domain/types.js';

export type PathKey = string | number;

export type Obj = Record<string, unknown>;

export const isMapping = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Marks "remove this key" in an extending file or a --set value. */
export const isRemoval = (v: unknown): boolean => v === null || v === undefined || v === '' || v === '~';

function reject(path: string, value: string | undefined, rule: string, zh: string, en: string, file = '--set'): never {
  const e: InputError = { file, path, value, rule, zh, en };
  throw new InputRejected([e]);
}

/** `budget.lines[2].rate` → ['budget', 'lines', 2, 'rate']. Keys may be quoted: `payments.dip.groups["I63.9"].score`. */
export function parseKeyPath(path: string): PathKey[] {
  const keys: PathKey[] = [];
  let i = 0;
  const bad = (why: string): never =>
    reject(path, path, 'set.path', `无效的键路径 "${path}"：${why}`, `invalid key path "${path}": ${why}`);
  if (path.trim() === '') bad('为空 / empty');
  let expectKey = true;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) bad('缺少 ] / missing ]');
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) keys.push(Number(inner));
      else if (/^(".*"|'.*')$/.test(inner)) keys.push(inner.slice(1, -1));
      else bad(`[${inner}] 不是列表序号 / is not a list index`);
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (ch === '.') {
      if (expectKey) bad('多余的 "." / stray "."');
      i++;
      expectKey = true;
      continue;
    }
    if (!expectKey) bad(`"${ch}" 前缺少 "." / missing "." before "${ch}"`);
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    keys.push(path.slice(i, j).trim());
    i = j;
    expectKey = false;
  }
  if (expectKey) bad('以 "." 结尾 / ends with "."');
  return keys;
}

export function formatKeyPath(keys: readonly PathKey[]): string {
  let out = '';
  for (const k of keys) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/[.[\]]/.test(k)) out += `["${k}"]`;
    else out += out === '' ? k : `.${k}`;
  }
  return out;
}

/** Reads a --set value like a scenario file would: failsafe YAML, so every scalar stays text. */
export function parseSetValue(text: string, path = ''): unknown {
  const t = text.trim();
  if (t === '' || t === '~') return undefined;
  if (!/^[[{]/.test(t)) return t.replace(/^(['"])(.*)\1$/, '$2'); // a plain scalar, quotes optional
  const doc = YAML.parseDocument(t, { schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) {
    const msg = doc.errors[0].message.split('\n')[0];
    reject(path, text, 'set.value', `无法解析 ${path} 的值：${msg}`, `cannot parse the value of ${path}: ${msg}`);
  }
  return doc.toJS();
}

/** Splits `KEY=VALUE` (the first `=`). */
export function splitAssignment(assignment: string): { path: string; value: string } {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    reject(assignment, assignment, 'set.syntax', `--set 应写作 KEY=VALUE：${assignment}`, `--set must be KEY=VALUE: ${assignment}`);
  }
  return { path: assignment.slice(0, eq).trim(), value: assignment.slice(eq + 1) };
}

function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isMapping(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

/**
 * Sets `value` at `keys` in a copy of `root` (the input is not changed). Missing mapping keys along the way are
 * created; a list index must already exist (or be the next index of the list, to append); passing through a
 * scalar is an error. `value === undefined` removes the key (or the list element).
 */
export function setAtPath(root: unknown, keys: readonly PathKey[], value: unknown): Obj {
  if (!isMapping(root)) throw new Error('setAtPath: the scenario is not a mapping');
  const path = formatKeyPath(keys);
  const out = clone(root);
  let node: unknown = out;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    const here = formatKeyPath(keys.slice(0, i)) || '(root)';
    if (typeof key === 'number') {
      if (!Array.isArray(node)) {
        reject(path, undefined, 'set.notList', `${here} 不是列表，不能用 [${key}]`, `${here} is not a list, so [${key}] cannot address it`);
      }
      if (key > node.length || (key === node.length && !last) || (key === node.length && value === undefined)) {
        reject(
          path,
          undefined,
          'set.noIndex',
          `${here} 只有 ${node.length} 项，没有第 [${key}] 项`,
          `${here} has ${node.length} item(s); there is no [${key}]`,
        );
      }
      if (last) {
        if (value === undefined) node.splice(key, 1);
        else node[key] = value;
        return out;
      }
      node = node[key];
    } else {
      if (!isMapping(node)) {
        reject(
          path,
          typeof node === 'string' ? node : undefined,
          'set.throughScalar',
          `${here} 是${Array.isArray(node) ? '列表（请用 [序号]）' : '单个值'}，不能再向下设置 ${key}`,
          `${here} is ${Array.isArray(node) ? 'a list (use [index])' : 'a single value'}, so ${key} cannot be set below it`,
        );
      }
      if (last) {
        if (value === undefined) delete node[key];
        else node[key] = value;
        return out;
      }
      if (node[key] === undefined) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
      node = node[key];
    }
  }
  return out;
}

/** Applies `KEY=VALUE` assignments in order. */
export function applySets(root: Obj, sets: readonly string[]): Obj {
  let out = root;
  for (const s of sets) {
    const { path, value } = splitAssignment(s);
    out = setAtPath(out, parseKeyPath(path), parseSetValue(value, path));
  }
  return out;
}

/** Deep merge for `extends`: mappings key by key, everything else (lists, scalars) replaced; removal markers delete. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return clone(over);
  const out: Obj = clone(base);
  for (const [k, v] of Object.entries(over)) {
    if (isRemoval(v)) delete out[k];
    else out[k] = k in out ? deepMerge(out[k], v) : clone(v);
  }
  return out;
}

/** The value at a key path, or undefined. */
export function getAtPath(root: unknown, keys: readonly PathKey[]): unknown {
  let v = root;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k as string];
  }
  return v;
}

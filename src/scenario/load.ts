// Reads a scenario file (YAML or JSON) from disk: parse with every scalar as text, check shape and rules, load the
// DRG/DIP tables it names, and resolve claims paths against the scenario file's folder. Every problem is collected.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import YAML from 'yaml';
import { InputRejected } from '../domain/errors.js';
import type { InputError, Scenario } from '../domain/types.js';
import type { InputFile } from '../domain/result.js';
import { buildScenario, type Tables } from './build.js';
import { zodIssueToError } from './messages.js';
import { checkScenarioRules } from './rules.js';
import { scenarioSchema, type RawScenario } from './schema.js';
import { readDipGroupsFile, readDrgWeightsFile } from './tables.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  readonly inputs: readonly InputFile[]; // the scenario and its tables, with SHA-256
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
  const doc = YAML.parseDocument(text.replace(/^\uFEFF/, ''), { schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errs: InputError[] = doc.errors.map((e) => ({
      file,
      row: e.linePos?.[0]?.line,
      rule: 'syntax',
      zh: `场景文件语法错误：${e.message.split('\n')[0]}`,
      en: `scenario syntax error: ${e.message.split('\n')[0]}`,
    }));
    throw new InputRejected(errs);
  }
  return dropEmpty(doc.toJS());
}

/** Validates an already-parsed scenario object (from a file, or after `extends`/`--set` overrides). */
export function scenarioFromObject(
  obj: unknown,
  file: string,
  baseDir: string,
): { scenario: Scenario; tables: InputFile[] } {
  const parsed = scenarioSchema.safeParse(obj);
  if (!parsed.success) {
    throw new InputRejected(parsed.error.issues.map((i) => zodIssueToError(i, obj, file)));
  }
  const raw: RawScenario = parsed.data;
  const errors: InputError[] = checkScenarioRules(raw, file);
  const tables: { drgWeights?: Tables['drgWeights']; dipGroups?: Tables['dipGroups'] } = {};
  const tableFiles: InputFile[] = [];
  if (raw.payments?.drg?.weightsFile) {
    const path = raw.payments.drg.weightsFile;
    const res = readDrgWeightsFile(resolve(baseDir, path), path);
    errors.push(...res.errors);
    tables.drgWeights = res.table;
    if (res.sha256) tableFiles.push({ role: 'table', file: path, sha256: res.sha256 });
  }
  if (raw.payments?.dip?.groupsFile) {
    const path = raw.payments.dip.groupsFile;
    const res = readDipGroupsFile(resolve(baseDir, path), path);
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
  );
  return { scenario, tables: tableFiles };
}

export function loadScenarioFile(file: string): LoadedScenario {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputRejected([
      { file, rule: 'file.unreadable', zh: `无法读取场景文件：${(e as Error).message}`, en: `cannot read the scenario file: ${(e as Error).message}` },
    ]);
  }
  const obj = parseScenarioText(bytes.toString('utf8'), file);
  const { scenario, tables } = scenarioFromObject(obj, file, dirname(resolve(file)));
  return { scenario, file, inputs: [{ role: 'scenario', file: basename(file), sha256: sha256(bytes) }, ...tables] };
}

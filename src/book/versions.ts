// 政策版本 (DOMAIN.md §12.2): a scenario file as a book keeps it — the text as given (for people and diffs) and a
// self-contained resolved form (its `extends` merged, its DRG/DIP tables inlined, no claims), which is what the
// engine reads back, so a book never depends on files outside its folder.
import { readFileSync } from 'node:fs';
import { readInputText } from '../io/input.js';
import { basename } from 'node:path';
import { InputRejected } from '../domain/errors.js';
import type { Scenario } from '../domain/types.js';
import { loadedFromObject, readScenarioObject, scenarioFromObject, sha256, type ScenarioReadOptions } from '../scenario/load.js';
import { readSpecialCaseFile } from '../scenario/specialCases.js';
import { canonicalJson } from './postings.js';
import type { VersionRecord } from './state.js';

/**
 * Reads and validates a scenario file into a version record (index and effectiveFrom given by the caller's rules),
 * its special-case list included: read and checked as a run would read it, so that a list no run could read is
 * refused with the version (book init, book amend) instead of breaking every later run of the book.
 */
export async function readVersion(
  file: string,
  index: number,
  options: ScenarioReadOptions = {},
): Promise<{ record: VersionRecord; scenario: Scenario; files: Array<{ sha256: string; bytes: Buffer }> }> {
  // A book's policy needs no claims (they come as batches): an empty list stands in for them.
  const so = readScenarioObject(file, [], options);
  const obj = so.obj !== null && typeof so.obj === 'object' && !Array.isArray(so.obj) ? (so.obj as Record<string, unknown>) : undefined;
  const loaded = loadedFromObject(obj && obj.claims === undefined && obj.actuals === undefined ? { ...so, obj: { ...obj, claims: [] } } : so);
  const s = loaded.scenario;
  const shown = basename(file);
  if (s.actuals !== undefined) {
    throw new InputRejected([
      {
        file: shown,
        path: 'actuals',
        rule: 'book.actualsMode',
        zh: '账簿按导入的结算明细逐月结算，版本中不能使用汇总模式 actuals',
        en: 'a book settles the claims it imports month by month: a version cannot use aggregate `actuals`',
      },
    ]);
  }
  const effective: Record<string, unknown> = { ...(loaded.effective ?? {}) };
  effective.claims = [];
  delete effective.extends;
  const payments = effective.payments as Record<string, Record<string, unknown>> | undefined;
  if (payments?.drg?.weightsFile !== undefined && s.payments.drg) {
    const { weightsFile: _w, ...drg } = payments.drg;
    payments.drg = { ...drg, weights: Object.fromEntries([...s.payments.drg.weights].map(([k, v]) => [k, v.toFixed()])) };
  }
  if (payments?.dip?.groupsFile !== undefined && s.payments.dip) {
    const { groupsFile: _g, ...dip } = payments.dip;
    payments.dip = {
      ...dip,
      groups: Object.fromEntries(
        [...s.payments.dip.groups].map(([k, g]) => [k, g.avgCost === undefined ? { score: g.score.toFixed() } : { score: g.score.toFixed(), avgCost: g.avgCost.toFixed() }]),
      ),
    };
  }
  // The special-case list cannot be inlined: the book keeps its bytes under their SHA-256 and names them so.
  // The scenario's own bytes are kept too: its text is stored as the loader decoded it (UTF-8 or GB18030), and
  // `verify` decodes the kept bytes again to check it.
  const { bytes, text } = readInputText(file, shown, 'scenario');
  const attachments: Array<{ key: string; file: string; sha256: string; bytes: Buffer }> = [{ key: 'scenario', file: shown, sha256: sha256(bytes), bytes }];
  if (s.specialCases !== undefined) {
    const list = await readSpecialCaseFile(s.specialCases.file, s.specialCases.fileAsWritten);
    if (list.errors.length > 0) throw new InputRejected([...list.errors]);
    const bytes = readFileSync(s.specialCases.file);
    const h = sha256(bytes);
    attachments.push({ key: 'specialCases.file', file: basename(s.specialCases.file), sha256: h, bytes });
    effective.specialCases = { ...(effective.specialCases as Record<string, unknown>), file: h };
  }
  const resolved = canonicalJson(effective);
  const record: VersionRecord = {
    index,
    effectiveFrom: index === 1 ? `${s.year}-01` : (s.effectiveFrom ?? ''),
    file: shown,
    text,
    sha256: sha256(bytes),
    resolved,
    resolvedSha256: sha256(resolved),
    attachments: attachments.map(({ key, file: f, sha256: h }) => ({ key, file: f, sha256: h })),
  };
  return { record, scenario: s, files: attachments.map(({ sha256: h, bytes: b }) => ({ sha256: h, bytes: b })) };
}

/**
 * The Scenario of a stored version, from its resolved form alone; `filesDir` is where the book keeps attachments
 * by SHA-256 (the special-case list is read from there when a run needs it).
 */
export function versionScenario(record: VersionRecord, filesDir = '/'): Scenario {
  const scenario = scenarioFromObject(JSON.parse(record.resolved), record.file, filesDir).scenario;
  const list = record.attachments?.find((a) => a.key === 'specialCases.file');
  // Messages and outputs name the list as the user did, not by its hash.
  return list && scenario.specialCases ? { ...scenario, specialCases: { ...scenario.specialCases, fileAsWritten: list.file } } : scenario;
}

/** A loader bound to a book's folder of files. */
export const versionLoader = (filesDir: string) => (record: VersionRecord) => versionScenario(record, filesDir);

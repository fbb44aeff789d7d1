// A mapping file (--mapping FILE, YAML or JSON) renames another export's columns and maps its values:
//
//   columns:                 # header in the export → canonical column
//     单据号: claim_id
//     机构代码: institution_id
//   values:
//     category: { 在职: employee, 城乡居民医保: resident }
//     setting: { 门诊慢特病: outpatient }
//     out_of_region: { Y: true, N: false }
//
// Built-in headers and values (DOMAIN.md §10) stay accepted.
import YAML from 'yaml';
import { z } from 'zod';
import { InputRejected } from '../domain/errors.js';
import { CATEGORIES, SETTINGS } from '../domain/types.js';
import type { InputError } from '../domain/types.js';
import { COLUMNS, type ColumnMapping } from './columns.js';
import { readInputText } from '../io/input.js';

const flag = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');

const schema = z
  .object({
    columns: z.record(z.string(), z.enum(COLUMNS)).optional(),
    values: z
      .object({
        category: z.record(z.string(), z.enum(CATEGORIES)).optional(),
        setting: z.record(z.string(), z.enum(SETTINGS)).optional(),
        out_of_region: z.record(z.string(), flag).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export function parseMapping(text: string, file: string): ColumnMapping {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (e) {
    throw new InputRejected([
      {
        file,
        rule: 'mapping.syntax',
        zh: `映射文件不是有效的 YAML/JSON：${e instanceof Error ? e.message : String(e)}`,
        en: `the mapping file is not valid YAML/JSON: ${e instanceof Error ? e.message : String(e)}`,
      },
    ]);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const errors: InputError[] = parsed.error.issues.map((i) => {
      const path = i.path.map(String).join('.');
      return {
        file,
        path,
        rule: 'mapping.invalid',
        zh: `映射文件 ${path || '(根)'} 无效：列名应为 ${COLUMNS.join('/')}，人员类别应为 ${CATEGORIES.join('/')}，医疗类别应为 ${SETTINGS.join('/')}，异地标志应为 true/false`,
        en: `mapping ${path || '(root)'} is invalid (${i.message}); columns map to ${COLUMNS.join('/')}, categories to ${CATEGORIES.join('/')}, settings to ${SETTINGS.join('/')}, out_of_region to true/false`,
      };
    });
    throw new InputRejected(errors);
  }
  return { columns: parsed.data.columns ?? {}, values: parsed.data.values ?? {} };
}

/** Reads a mapping file (small; read synchronously); throws InputRejected (bilingual errors) when unreadable or invalid. */
export function loadMapping(path: string, shown: string = path): ColumnMapping {
  return parseMapping(readInputText(path, shown, 'mapping').text, shown);
}

// Turns zod issues into bilingual input errors with the scenario key path.
import type { core } from 'zod';
import type { InputError } from '../domain/types.js';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

const RULE_TEXT: Record<string, { zh: string; en: string }> = {
  number: { zh: '应为数字（如 "700" 或 "0.05"）', en: 'must be a number (such as "700" or "0.05")' },
  nonNegative: { zh: '不能为负数', en: 'must not be negative' },
  fraction: { zh: '应为 0 到 1 之间的比例', en: 'must be a rate between 0 and 1' },
  count: { zh: '应为不超过十位数的非负整数', en: 'must be a whole number ≥ 0 of at most ten digits' },
  range: { zh: '超出允许范围（绝对值不超过 100,000,000,000，即 1000 亿）', en: 'is out of range (at most 100,000,000,000 in magnitude)' },
  year: { zh: '应为四位年份', en: 'must be a four-digit year' },
  month: { zh: '应为年月（如 "2024-07"）', en: 'must be a month such as "2024-07"' },
};

export function zodIssueToError(issue: core.$ZodIssue, root: unknown, file?: string): InputError {
  const path = formatPath(issue.path);
  const value = show(valueAt(root, issue.path));
  const base = { file, path, value };
  switch (issue.code) {
    case 'invalid_type': {
      if (value === '' && valueAt(root, issue.path) === undefined) {
        return { ...base, rule: 'required', zh: `缺少必填项 ${path}`, en: `${path} is required` };
      }
      const expected = String(issue.expected);
      const zhType = expected === 'array' ? '列表' : expected === 'object' ? '键值表' : expected === 'string' ? '文本或数字' : expected;
      return {
        ...base,
        rule: 'type',
        zh: `${path} 应为${zhType}`,
        en: `${path} must be ${expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : `a ${expected}`}`,
      };
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v)).join(' / ');
      return {
        ...base,
        rule: 'enum',
        zh: `${path} 的值 "${value}" 无效，应为 ${options} 之一`,
        en: `${path} is "${value}", which is not one of ${options}`,
      };
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.join(', ');
      const where = path === '(root)' ? '' : `${path} `;
      return {
        ...base,
        path: issue.keys.length === 1 ? (path === '(root)' ? issue.keys[0] : `${path}.${issue.keys[0]}`) : path,
        value: '',
        rule: 'unknownKey',
        zh: `${where}中有未知的键：${keys}（拼写错误？）`,
        en: `${where}has an unknown key: ${keys} (a typo?)`,
      };
    }
    case 'too_small': {
      return { ...base, rule: 'tooSmall', zh: `${path} 不能为空`, en: `${path} must not be empty` };
    }
    case 'custom': {
      const rule = String((issue.params as { rule?: string } | undefined)?.rule ?? 'custom');
      const t = RULE_TEXT[rule] ?? { zh: issue.message, en: issue.message };
      return { ...base, rule, zh: `${path} 的值 "${value}" ${t.zh}`, en: `${path} is "${value}": ${t.en}` };
    }
    case 'too_big':
      return { ...base, rule: 'tooBig', zh: `${path} 过大或过长`, en: `${path} is too large or too long` };
    default:
      // Chinese messages stay entirely Chinese: the library's English text goes to the English half only.
      return { ...base, rule: issue.code, zh: `${path} 的值不符合要求（${issue.code}）`, en: `${path}: ${issue.message}` };
  }
}

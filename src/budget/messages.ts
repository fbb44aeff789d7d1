// Bilingual input errors of a budget history file: zod issues in the scenario's wording (scenario/messages.ts), plus
// the rules only a history has, and the cross-key rules of rules.ts. Every error names the file and the key path.
import type { core } from 'zod';
import type { InputError } from '../domain/types.js';
import { formatPath, zodIssueToError } from '../scenario/messages.js';

const RULE_TEXT: Record<string, { zh: string; en: string }> = {
  yuan: { zh: '应为不为负、最多两位小数的金额（元）', en: 'must be an amount in yuan, not negative, with at most two decimals' },
  positive: { zh: '应为大于 0 的数', en: 'must be a number above 0' },
  positiveCount: { zh: '应为大于 0 的整数', en: 'must be a whole number above 0' },
};

export function historyIssueToError(issue: core.$ZodIssue, root: unknown, file: string): InputError {
  if (issue.code === 'custom') {
    const rule = String((issue.params as { rule?: string } | undefined)?.rule ?? '');
    const t = RULE_TEXT[rule];
    if (t !== undefined) {
      const base = zodIssueToError(issue, root, file);
      return { ...base, rule, zh: `${base.path} 的值 "${base.value}" ${t.zh}`, en: `${base.path} is "${base.value}": ${t.en}` };
    }
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && Array.isArray((issue as { options?: unknown }).options)) {
    // A standard's `method` missing or not one of the methods: say so like any other enum key.
    const options = (issue as unknown as { options: string[] }).options;
    const asEnum = { code: 'invalid_value', values: options, path: issue.path, message: issue.message, input: undefined } as unknown as core.$ZodIssue;
    const asMissing = { code: 'invalid_type', expected: 'string', path: issue.path, message: issue.message, input: undefined } as unknown as core.$ZodIssue;
    const asEnumError = zodIssueToError(asEnum, root, file);
    return asEnumError.value === '' ? zodIssueToError(asMissing, root, file) : asEnumError;
  }
  return zodIssueToError(issue, root, file);
}

/** A cross-key problem at a key path. */
export function ruleError(file: string, path: readonly PropertyKey[] | string, value: string | undefined, rule: string, zh: string, en: string): InputError {
  return { file, path: typeof path === 'string' ? path : formatPath(path), value, rule, zh, en };
}

// Bilingual texts of every claims-file rule. Rule ids are stable (they appear in the error report).
import type { InputError } from '../domain/types.js';

export interface At {
  readonly file: string;
  readonly row?: number;
  readonly column?: string; // "fund_paid (统筹基金支付)": canonical name and the header as found
  readonly value?: string;
}

/** The longest cell value a message repeats; a longer one is cut, saying how long it was. */
const SHOWN = 100;

/** A cell value as a message shows it: whole up to SHOWN characters, else its start and its length. */
export function shownValue(v: string): string {
  return v.length <= SHOWN ? v : `${v.slice(0, SHOWN)}…（共 ${v.length} 个字符 / ${v.length} characters）`;
}

function err(at: At, rule: string, zh: string, en: string): InputError {
  const e: { -readonly [K in keyof InputError]: InputError[K] } = { file: at.file, rule, zh, en };
  if (at.row !== undefined) e.row = at.row;
  if (at.column !== undefined) e.column = at.column;
  if (at.value !== undefined) e.value = shownValue(at.value);
  return e;
}

const q = (v: string | undefined): string => `"${shownValue(v ?? '')}"`;

export const msg = {
  unreadable: (at: At, reason: { readonly zh: string; readonly en: string }) =>
    err(at, 'file.unreadable', `无法读取文件：${reason.zh}`, `cannot read the file: ${reason.en}`),
  encoding: (at: At, encoding: string) =>
    err(
      at,
      'file.encoding',
      `文件内容不是有效的 ${encoding} 编码（第 ${at.row ?? 1} 行或其后有无法识别的字节）：文件可能被截断或混入了其他编码的内容；请从系统重新导出，或用 Excel 另存为“CSV UTF-8”，或用 --encoding 指定 utf-8 或 gb18030`,
      `the file is not valid ${encoding} text (bytes that are no character on row ${at.row ?? 1} or after): the file may be cut short or mix encodings; export it again, or save it from Excel as "CSV UTF-8", or name the encoding with --encoding utf-8 or gb18030`,
    ),
  utf16: (at: At) =>
    err(
      at,
      'file.utf16',
      '文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请用 Excel 另存为“CSV UTF-8（逗号分隔）”',
      'the file is UTF-16 text (Excel\'s "Unicode text"): save it from Excel as "CSV UTF-8 (Comma delimited)"',
    ),
  unknownEncoding: (at: At, encoding: string) =>
    err(
      at,
      'file.encodingName',
      `不支持的编码 "${encoding}"，应为 utf-8、gb18030 或 auto`,
      `unsupported encoding "${encoding}"; use utf-8, gb18030 or auto`,
    ),
  noHeader: (at: At) => err(at, 'file.empty', '文件为空，缺少表头行', 'the file is empty: no header row'),
  noRows: (at: At) =>
    err(
      at,
      'file.noRows',
      '文件只有表头，没有结算数据行（空的导出不是一个真实的月份，请检查导出条件）',
      'the file has a header but no claim rows (an empty export is never a real month: check the export)',
    ),
  format: (at: At, reason: { readonly zh: string; readonly en: string }) =>
    err(at, 'file.format', `不是有效的 Excel（.xlsx）文件：${reason.zh}`, `not a valid Excel (.xlsx) file: ${reason.en}`),
  noSheet: (at: At, sheet: string, names: readonly string[]) =>
    err(
      at,
      'file.sheet',
      `找不到工作表 "${sheet}"（现有：${names.join('、')}）`,
      `no sheet named "${sheet}" (sheets: ${names.join(', ')})`,
    ),
  missingColumn: (at: At, col: string, zh: string) =>
    err(at, 'header.missing', `缺少必填列 ${col}（${zh}）`, `required column ${col} (${zh}) is missing`),
  duplicateColumn: (at: At, col: string, first: string, second: string) =>
    err(
      at,
      'header.duplicate',
      `列 ${col} 出现两次（"${first}" 与 "${second}"）`,
      `column ${col} appears twice ("${first}" and "${second}")`,
    ),
  quote: (at: At, field: number) =>
    err(
      at,
      'csv.quote',
      `第 ${at.row} 行第 ${field} 个字段的引号未闭合，文件就结束了（文件可能被截断）`,
      `the quoted field ${field} of row ${at.row} is still open at the end of the file (the file may be truncated)`,
    ),
  lineBreak: (at: At, field: number) =>
    err(
      at,
      'csv.lineBreak',
      `第 ${at.row} 行第 ${field} 个字段的引号在本行内没有闭合（引号未闭合，或单元格内有换行）；结算明细的任何列都不能含换行，请检查该行及其后各行`,
      `the quoted field ${field} of row ${at.row} does not close on its line (an unclosed quote, or a line break inside a cell); no claims column may hold a line break: check this row and the rows after it`,
    ),
  quoteText: (at: At, field: number) =>
    err(
      at,
      'csv.quoteText',
      `第 ${at.row} 行第 ${field} 个字段的闭合引号后还有文字（引号用法不正确）`,
      `row ${at.row}, field ${field}: text follows the closing quote (a misplaced quote)`,
    ),
  required: (at: At) => err(at, 'required', `${at.column} 不能为空`, `${at.column} is required`),
  date: (at: At) =>
    err(
      at,
      'date',
      `${at.column} 的值 ${q(at.value)} 不是有效日期（应为 YYYY-MM-DD 或 YYYY/MM/DD）`,
      `${at.column} ${q(at.value)} is not a valid date (YYYY-MM-DD or YYYY/MM/DD)`,
    ),
  outsideYear: (at: At, year: number) =>
    err(
      at,
      'date.outsideYear',
      `${at.column} 的值 ${q(at.value)} 不在结算年度 ${year} 内`,
      `${at.column} ${q(at.value)} is outside the settlement year ${year}`,
    ),
  amount: (at: At) =>
    err(
      at,
      'amount',
      `${at.column} 的值 ${q(at.value)} 不是金额（元，最多两位小数）`,
      `${at.column} ${q(at.value)} is not an amount in yuan with at most two decimals`,
    ),
  negative: (at: At) =>
    err(
      at,
      'amount.negative',
      `${at.column} 不能为负数（冲销行须填写原结算单据号）`,
      `${at.column} must not be negative (a reversal row must name the claim it reverses)`,
    ),
  fundExceedsTotal: (at: At, fund: string, total: string) =>
    err(
      at,
      'amount.fundExceedsTotal',
      `统筹基金支付 ${fund} 大于医疗总费用 ${total}`,
      `fund_paid ${fund} exceeds total_cost ${total}`,
    ),
  sumNotTotal: (at: At, fund: string, patient: string, total: string) =>
    err(
      at,
      'amount.sumNotTotal',
      `统筹基金支付 ${fund} 加个人负担 ${patient} 不等于医疗总费用 ${total}`,
      `fund_paid ${fund} plus patient_paid ${patient} does not make total_cost ${total}`,
    ),
  amountTooLarge: (at: At) =>
    err(
      at,
      'amount.tooLarge',
      `${at.column} 的值 ${q(at.value)} 超过单笔结算上限 1亿元（100,000,000.00），请核对是否多了位数`,
      `${at.column} ${q(at.value)} exceeds the ceiling of one claim, 100,000,000.00 yuan (1亿): check for extra digits`,
    ),
  sumRange: (at: At) =>
    err(
      at,
      'amount.sumRange',
      `到第 ${at.row} 行为止，医疗总费用之和超出可精确计算的范围（90万亿元），请检查金额是否多了位数`,
      `by row ${at.row} the sum of total_cost exceeds the range of exact sums (90 trillion yuan): check the amounts for extra digits`,
    ),
  codeTooLong: (at: At, length: number, max: number) =>
    err(
      at,
      'code.tooLong',
      `${at.column} 的值过长（${length} 个字符，最多 ${max} 个）：可能是列错位或粘贴了多余的内容`,
      `${at.column} is too long (${length} characters, at most ${max}): a shifted column, or text pasted by mistake?`,
    ),
  looksLikeMember: (at: At, member: string) =>
    err(
      at,
      'code.looksLikeMember',
      `${at.column} 的值 ${q(at.value)} 不是成员单位编码，但看起来像成员单位 ${member}（仅大小写、全角、空白、标点、形近字母或前导零不同）；请改为 ${member}，或确认这是医共体外的机构`,
      `${at.column} ${q(at.value)} is not a member's code but looks like member ${member} (differs only in case, full-width forms, spaces, punctuation, look-alike letters or leading zeros): write ${member}, or check the institution is outside the group`,
    ),
  fundsExceedTotal: (at: At, funds: string, total: string) =>
    err(
      at,
      'amount.fundsExceedTotal',
      `各基金支付（统筹、大病保险、医疗救助、其他补助）之和 ${funds} 大于医疗总费用 ${total}`,
      `the fund columns (fund_paid, critical_paid, assistance_paid, other_paid) add up to ${funds}, more than total_cost ${total}`,
    ),
  fundsPlusPatientNotTotal: (at: At, funds: string, patient: string, total: string) =>
    err(
      at,
      'amount.fundsPlusPatientNotTotal',
      `各基金支付之和 ${funds} 加个人负担 ${patient} 不等于医疗总费用 ${total}`,
      `the fund columns (${funds}) plus patient_paid ${patient} do not make total_cost ${total}`,
    ),
  enumValue: (at: At, options: string) =>
    err(
      at,
      'enum',
      `${at.column} 的值 ${q(at.value)} 无效，应为 ${options}`,
      `${at.column} ${q(at.value)} is not one of ${options}`,
    ),
  losDays: (at: At) =>
    err(
      at,
      'losDays',
      `${at.column} 的值 ${q(at.value)} 应为非负整数`,
      `${at.column} ${q(at.value)} must be a whole number ≥ 0`,
    ),
  losRequired: (at: At) =>
    err(at, 'losDays.required', `住院结算必须填写 ${at.column}`, `${at.column} is required for inpatient claims`),
  duplicateId: (at: At, firstFile: string, firstRow: number) =>
    err(
      at,
      'claimId.duplicate',
      `结算单据号 ${q(at.value)} 重复（首次出现在 ${firstFile} 第 ${firstRow} 行）`,
      `claim_id ${q(at.value)} is a duplicate (first seen in ${firstFile} row ${firstRow})`,
    ),
  reversalSelf: (at: At) =>
    err(at, 'reversal.self', '冲销行不能冲销自身', 'a reversal cannot reverse itself'),
  reversalSign: (at: At) =>
    err(
      at,
      'reversal.sign',
      `冲销行的金额应为负数或零（${at.column}）`,
      `a reversal's amounts must be negative or zero (${at.column})`,
    ),
  reversalUnknown: (at: At) =>
    err(
      at,
      'reversal.unknown',
      `被冲销的结算单据号 ${q(at.value)} 不存在于本次导入的文件中`,
      `the reversed claim ${q(at.value)} is not in the files of this run`,
    ),
  reversalMismatch: (at: At) =>
    err(
      at,
      'reversal.mismatch',
      `冲销行必须与原结算 ${q(at.value)} 的机构、人员类别、异地标志、医疗类别、住院天数、DRG/DIP 编码和转诊标志相同，金额恰为其负数（冲销按原结算的相反数结算；部分更正请冲销后重新结算）`,
      `a reversal must have the institution, category, out-of-region flag, setting, days, DRG/DIP codes and referral of claim ${q(at.value)} and exactly the negatives of its amounts (it is settled as the exact negation of its original; for a partial correction, reverse and settle again)`,
    ),
  reversalTwice: (at: At) =>
    err(at, 'reversal.twice', `结算单据 ${q(at.value)} 被冲销了不止一次`, `claim ${q(at.value)} is reversed more than once`),
  reversalOfReversal: (at: At) =>
    err(
      at,
      'reversal.ofReversal',
      `${q(at.value)} 本身是冲销行，不能再被冲销`,
      `${q(at.value)} is itself a reversal and cannot be reversed`,
    ),
} as const;

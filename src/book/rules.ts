// What a book refuses, as bilingual input errors (pure checks on the state; the commands call them first).
import type { InputError } from '../domain/types.js';
import { type BookState, isDraftCurrent } from './state.js';

const e = (rule: string, zh: string, en: string, extra: Partial<InputError> = {}): InputError => ({ rule, zh, en, ...extra });

export function checkAmend(s: BookState, effectiveFrom: string | undefined, year: number, file: string): InputError[] {
  const at = { file, path: 'effectiveFrom' };
  if (s.locked) return [e('book.locked', `${s.year} 年度已锁定，政策版本不能再变更`, `the year ${s.year} is locked: its policy versions cannot change`, { file })];
  if (year !== s.year) return [e('book.versionYear', `新版本的年度 ${year} 与账簿年度 ${s.year} 不同`, `the new version is for ${year}, the book for ${s.year}`, { file, path: 'year' })];
  if (effectiveFrom === undefined) {
    return [e('book.effectiveFromMissing', '新的政策版本须写明生效月份 effectiveFrom（如 "2024-07"）', 'a new policy version needs effectiveFrom (such as "2024-07")', at)];
  }
  const month = Number(effectiveFrom.slice(5, 7));
  if (Number(effectiveFrom.slice(0, 4)) !== s.year) {
    return [e('book.effectiveFromYear', `生效月份 ${effectiveFrom} 不在账簿年度 ${s.year} 内`, `effectiveFrom ${effectiveFrom} is not in the book's year ${s.year}`, at)];
  }
  const last = s.versions[s.versions.length - 1];
  if (month <= last.fromMonth) {
    return [
      e(
        'book.effectiveFromOrder',
        `生效月份 ${effectiveFrom} 须晚于上一版本（第 ${last.record.index} 版，自 ${last.record.effectiveFrom} 起）`,
        `effectiveFrom ${effectiveFrom} must come after the previous version's (version ${last.record.index}, from ${last.record.effectiveFrom})`,
        at,
      ),
    ];
  }
  if (month <= s.months.length) {
    return [
      e(
        'book.effectiveFromClosed',
        `${effectiveFrom} 已月结，新版本只能自尚未月结的月份起生效（最早 ${s.year}-${String(s.months.length + 1).padStart(2, '0')}）`,
        `${effectiveFrom} is already closed: a new version can take effect only from an open month (the earliest is ${s.year}-${String(s.months.length + 1).padStart(2, '0')})`,
        at,
      ),
    ];
  }
  return [];
}

export function checkSameGroup(s: BookState, members: ReadonlyArray<{ id: string; tier: string }>, lead: string, groupId: string, file: string): InputError[] {
  const first = s.versions[0].scenario.group;
  const same =
    groupId === s.groupId &&
    lead === first.lead &&
    members.length === first.members.length &&
    members.every((m, i) => m.id === first.members[i].id && m.tier === first.members[i].tier);
  return same
    ? []
    : [
        e(
          'book.groupChanged',
          '新版本的医共体（编号、牵头医院或成员单位及层级）与账簿不同；成员变化须另开账簿',
          "the new version's group (id, lead, or members and tiers) differs from the book's; a change of members needs a new book",
          { file, path: 'group' },
        ),
      ];
}

export function checkClose(s: BookState, month: string): InputError[] {
  const next = s.months.length + 1;
  const expected = `${s.year}-${String(next).padStart(2, '0')}`;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    return [e('book.monthFormat', `月份 "${month}" 应写作 YYYY-MM（如 ${expected}）`, `month "${month}" must be written YYYY-MM (such as ${expected})`, { value: month })];
  }
  if (next > 12) return [e('book.allClosed', `${s.year} 年 12 个月均已月结`, `all twelve months of ${s.year} are closed`, { value: month })];
  if (!month.startsWith(`${s.year}-`)) {
    return [e('book.monthYear', `月份 ${month} 不在账簿的 ${s.year} 年度内`, `${month} is not in the book's year ${s.year}`, { value: month })];
  }
  if (s.months.some((m) => m.month === month)) {
    return [e('book.monthClosed', `${month} 已经月结`, `${month} is already closed`, { value: month })];
  }
  if (month !== expected) {
    return [
      e('book.monthOrder', `月份须按顺序月结：下一个是 ${expected}，不是 ${month}`, `months close in order: the next is ${expected}, not ${month}`, { value: month }),
    ];
  }
  return [];
}

export function checkClear(s: BookState): InputError[] {
  if (s.locked) {
    return [e('book.locked', `${s.year} 年度清算已锁定；锁定后的新数据请用补充清算（book supplement）`, `the ${s.year} clearing is locked; settle later data with a supplement (book supplement)`)];
  }
  if (s.months.length < 12) {
    return [
      e(
        'book.monthsOpen',
        `年终清算须 12 个月全部月结；已月结 ${s.months.length} 个月`,
        `the year-end clearing needs all twelve months closed; ${s.months.length} are`,
      ),
    ];
  }
  return [];
}

export function checkLock(s: BookState): InputError[] {
  if (s.locked) return [e('book.locked', `${s.year} 年度清算已锁定`, `the ${s.year} clearing is already locked`)];
  if (s.draft === undefined) return [e('book.noDraft', '尚无清算草稿，请先运行 book clear', 'there is no draft clearing: run book clear first')];
  if (!isDraftCurrent(s)) {
    return [
      e(
        'book.draftStale',
        '清算草稿之后又导入了批次或变更了版本，草稿已过时；请重新运行 book clear 并复核',
        'batches or versions were added after the draft clearing: it is out of date; run book clear again and review it',
      ),
    ];
  }
  return [];
}

export function checkSupplement(s: BookState): InputError[] {
  if (!s.locked) {
    return [e('book.notLocked', '补充清算只在年度锁定之后；锁定前请重新运行 book clear', 'a supplement comes after the lock; before it, run book clear again')];
  }
  return [];
}

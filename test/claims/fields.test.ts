import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelSerialToDate, parseDate, parseFen } from '../../src/claims/fields.js';
import { parseYuanToFen } from '../../src/domain/money.js';

describe('parseFen', () => {
  it('agrees with parseYuanToFen on every text it accepts', () => {
    const text = fc.oneof(
      fc.integer({ min: -1e15, max: 1e15 }).map((f) => `${f < 0 ? '-' : ''}${Math.floor(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`),
      fc.stringMatching(/^[+-]?\d{0,15}(\.\d{0,3})?$/),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const a = parseYuanToFen(s.trim());
        const b = parseFen(s.trim());
        if (a === undefined) expect(Number.isNaN(b)).toBe(true);
        else expect(b).toBe(a);
      }),
      { numRuns: 2000 },
    );
  });
  it('accepts thousands separators', () => {
    expect(parseFen('1,234,567.89')).toBe(123456789);
    expect(Number.isNaN(parseFen('1,,2'))).toBe(true);
    expect(Number.isNaN(parseFen('12,'))).toBe(true);
  });
});

describe('dates', () => {
  it('normalises the accepted forms and rejects impossible dates', () => {
    expect(parseDate('2024-03-05')).toBe('2024-03-05');
    expect(parseDate('2024/3/5')).toBe('2024-03-05');
    expect(parseDate('2024/03/05 08:30:00')).toBe('2024-03-05');
    expect(parseDate('20240305')).toBe('2024-03-05');
    expect(parseDate('2024年3月5日')).toBe('2024-03-05');
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('2023-02-29')).toBeUndefined();
    expect(parseDate('2024-13-01')).toBeUndefined();
    expect(parseDate('05/03/2024')).toBeUndefined();
  });
  it('converts Excel serials (1900 and 1904 systems)', () => {
    expect(excelSerialToDate(45356, false)).toBe('2024-03-05');
    expect(excelSerialToDate(1, false)).toBe('1900-01-01');
    expect(excelSerialToDate(61, false)).toBe('1900-03-01');
    expect(excelSerialToDate(45356 - 1462, true)).toBe('2024-03-05');
  });
});

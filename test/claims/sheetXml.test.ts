// The byte scanners behind the XLSX reader (src/claims/sheetXml.ts): every cell form Excel and other writers use,
// fed in chunks cut at every byte, so an element or a UTF-8 character split across chunks is read whole.
// Seeds are printed; rerun one with FC_SEED=<seed> npx vitest run test/claims/sheetXml.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedStringsScanner, SheetScanner, unescapeXml } from '../../src/claims/sheetXml.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
console.log(`[sheetXml] fast-check seed ${seed}`);

interface Read {
  rows: [number, string[]][];
  next: number;
  truncated: boolean;
}

/** Scans `xml` cut into chunks at `cuts` (byte offsets); rows are copied, since the scanner reuses its array. */
function scan(xml: string | Buffer, cuts: number[] = [], opts: { strings?: string[]; dateColumn?: number; date1904?: boolean; stopAfter?: number } = {}): Read {
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const rows: [number, string[]][] = [];
  const scanner = new SheetScanner({
    strings: opts.strings ?? [],
    date1904: opts.date1904 ?? false,
    dateColumn: () => opts.dateColumn ?? -1,
    onRow: (rowNo, cells) => {
      rows.push([rowNo, [...cells]]);
      return opts.stopAfter === undefined || rows.length < opts.stopAfter;
    },
  });
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    if (!scanner.push(bytes.subarray(from, cut))) break;
    from = cut;
  }
  return { rows, next: scanner.nextRow, truncated: scanner.truncated };
}

function sharedStrings(xml: string, cuts: number[] = []): string[] {
  const bytes = Buffer.from(xml, 'utf8');
  const out: string[] = [];
  const scanner = new SharedStringsScanner(out);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    scanner.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

/** Every way of cutting the bytes in two, and one byte at a time: each must read as the whole does. */
function everyCut<T>(xml: string, read: (cuts: number[]) => T): T {
  const whole = read([]);
  const n = Buffer.byteLength(xml);
  for (let c = 1; c < n; c++) expect(read([c])).toEqual(whole);
  expect(read(Array.from({ length: n }, (_, i) => i + 1))).toEqual(whole);
  return whole;
}

const sheet = (rows: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col min="1" max="3" width="12"/></cols><sheetData>${rows}</sheetData><rowBreaks count="1"><brk id="3"/></rowBreaks></worksheet>`;

describe(`XLSX sheet XML scanner (seed ${seed})`, () => {
  it('reads shared strings: rich text runs joined, phonetic runs dropped, empty items kept, entities resolved', () => {
    const xml =
      '<?xml version="1.0"?><sst xmlns="x" count="6" uniqueCount="6">' +
      '<si><t>结算单据号</t></si>' +
      '<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr><t>县</t></r><r><t xml:space="preserve">人民 医院</t></r></si>' +
      '<si/>' +
      '<si><t>东山</t><rPh sb="0" eb="2"><t>トウザン</t></rPh><phoneticPr fontId="1"/></si>' +
      '<si><t>A&amp;B &lt;&#20013;&#x56FD;&gt; &quot;q&quot; &apos;</t></si>' +
      '<si><t>line_x000D_end</t></si>' +
      '<si><t/></si>' +
      '</sst>';
    const strings = everyCut(xml, (cuts) => sharedStrings(xml, cuts));
    expect(strings).toEqual(['结算单据号', '县人民 医院', '', '东山', 'A&B <中国> "q" \'', 'line\rend', '']);
  });

  it('reads every cell form: shared, str, inline rich text, numbers, booleans, errors, ISO dates, formulas', () => {
    const strings = ['结算单据号', '居民'];
    const xml = sheet(
      '<row r="1" spans="1:9"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
        '<row r="2" spans="1:9" x14ac:dyDescent="0.25">' +
        '<c r="A2" t="str"><v>JS&amp;1 &#x4E2D;</v></c>' +
        '<c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>住</t></r><r><t xml:space="preserve">院 </t></r><rPh sb="0" eb="1"><t>ジュウ</t></rPh></is></c>' +
        '<c r="C2" s="3"><v>0.30000000000000004</v></c>' +
        '<c r="D2" t="n"><v>12000.5</v></c>' +
        '<c r="E2" t="b"><v>1</v></c>' +
        '<c r="F2" t="e"><v>#N/A</v></c>' +
        '<c r="G2" t="d"><v>2024-03-05T00:00:00</v></c>' +
        '<c r="H2"><f>SUM(C2:D2)</f><v>12000.8</v></c>' +
        '<c r="I2" t="str"><f>A2&amp;"x"</f><v>是</v></c>' +
        '</row>',
    );
    const read = everyCut(xml, (cuts) => scan(xml, cuts, { strings }));
    expect(read.rows).toEqual([
      [1, ['结算单据号', '居民']],
      [2, ['JS&1 中', '住院 ', '0.3', '12000.5', '1', '#N/A', '2024-03-05', '12000.8', '是']],
    ]);
    expect(read.truncated).toBe(false);
    expect(read.next).toBe(3);
  });

  it('places cells by r= (gaps are empty), cells without r= in the next column, and skips empty rows', () => {
    const xml = sheet(
      '<row r="1"><c r="C1" t="inlineStr"><is><t>c</t></is></c><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>' +
        '<row r="2"><c r="B2" s="1"/><c r="D2" t="inlineStr"><is><t>d</t></is></c><c t="inlineStr"><is><t>e</t></is></c><c><v>6</v></c></row>' +
        '<row r="3"><c r="A3" s="2"/><c r="B3" t="str"><v></v></c></row>' +
        '<row r="4" spans="1:3"/>' +
        '<row><c t="inlineStr"><is><t>no r</t></is></c><c><v>2</v></c></row>' +
        '<row   r = \'9\'  ><c  t = \'inlineStr\'  r = \'B9\' ><is><t>quoted</t></is></c></row>' +
        '<row><c r="XFE10"><v>1</v></c><c r="A10"><v/></c></row>' +
        '<row r="11"><c r="A11"><v>11</v></c></row>',
    );
    const read = everyCut(xml, (cuts) => scan(xml, cuts));
    expect(read.rows).toEqual([
      [1, ['a', '', 'c']],
      [2, ['', '', '', 'd', 'e', '6']],
      [5, ['no r', '2']],
      [9, ['', 'quoted']],
      [11, ['11']],
    ]);
  });

  it('turns Excel date serials into dates in the date column only (1900 and 1904 systems)', () => {
    const xml = sheet('<row r="2"><c r="A2"><v>45356</v></c><c r="B2"><v>45356</v></c><c r="C2"><v>45356.75</v></c></row><row r="3"><c r="B3"><v>0</v></c><c r="C3" t="str"><v>2024/3/6</v></c></row>');
    expect(scan(xml, [], { dateColumn: 1 }).rows).toEqual([
      [2, ['45356', '2024-03-05', '45356.75']],
      [3, ['', '0', '2024/3/6']],
    ]);
    expect(scan(xml, [], { dateColumn: 2 }).rows[0][1]).toEqual(['45356', '45356', '2024-03-05']);
    expect(scan(xml, [], { dateColumn: 1, date1904: true }).rows[0][1][1]).toBe('2028-03-06');
  });

  it('keeps a CJK character whose bytes are split across chunks, in every cell form', () => {
    const strings = ['𠮷野家'];
    const xml = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><v>城乡居民𠮷</v></c><c r="C1" t="inlineStr"><is><t>建档立卡</t></is></c></row>');
    expect(everyCut(xml, (cuts) => scan(xml, cuts, { strings })).rows).toEqual([[1, ['𠮷野家', '城乡居民𠮷', '建档立卡']]]);
  });

  it('gives each row its own cells although the array is reused (a shorter row after a longer one)', () => {
    const xml = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><v>3</v></c></row><row r="2"><c r="A2"><v>4</v></c></row>');
    const seen: string[][] = [];
    let same = true;
    let first: string[] | undefined;
    const scanner = new SheetScanner({
      strings: [],
      date1904: false,
      dateColumn: () => -1,
      onRow: (_r, cells) => {
        first ??= cells;
        same &&= cells === first;
        seen.push([...cells]);
        return true;
      },
    });
    scanner.push(Buffer.from(xml));
    expect(seen).toEqual([['1', '2', '3'], ['4']]);
    expect(same).toBe(true);
  });

  it('stops when told, and tells a sheet that ends inside a row', () => {
    const xml = sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>');
    const stopped = scan(xml, [], { stopAfter: 1 });
    expect(stopped.rows).toEqual([[1, ['1']]]);
    expect(stopped.truncated).toBe(false);
    const cut = xml.slice(0, xml.indexOf('<row r="2"') + 20);
    const read = scan(cut);
    expect(read.rows).toEqual([[1, ['1']]]);
    expect(read.truncated).toBe(true);
    expect(read.next).toBe(2);
    expect(scan(xml.slice(0, xml.indexOf('</sheetData>'))).truncated).toBe(false);
  });

  it('unescapes XML entities and OOXML _xHHHH_ escapes', () => {
    expect(unescapeXml('a&amp;b&lt;&gt;&quot;&apos;&#20013;&#x56fd;&#x1F600;_x000A_x')).toBe('a&b<>"\'中国😀\nx');
    expect(unescapeXml('plain_text')).toBe('plain_text');
    expect(unescapeXml('&unknown; &#x110000;')).toBe('&unknown; ');
  });

  // Random sheets written the ways writers differ (attribute order, quotes, spacing, shared/str/inline text, rich
  // runs, skipped r=), cut into random chunks: the scanner reads back the cells written.
  const text = fc.oneof(
    fc.constantFrom('职工', '居民', '住院', '门诊', '是', '否', '𠮷', 'A&B', '<x>', '"q"', "'", '_x', 'JS2024000000001', ' 1.5 '),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  );
  const cellArb = fc.record({
    gap: fc.nat({ max: 2 }),
    withRef: fc.boolean(),
    kind: fc.constantFrom('shared', 'str', 'inline', 'rich', 'number', 'bool'),
    text,
    number: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((f) => String(f / 100)),
    singleQuotes: fc.boolean(),
    typeFirst: fc.boolean(),
  });
  const rowArb = fc.record({ cells: fc.array(cellArb, { minLength: 1, maxLength: 6 }), gapBefore: fc.nat({ max: 2 }), withRef: fc.boolean() });
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/_x/g, '_x005F_x');
  const escAttrText = (s: string) => esc(s).replace(/[\u0080-\u{10ffff}]/gu, (c) => (c.codePointAt(0)! % 2 === 0 ? `&#${c.codePointAt(0)};` : c));

  it('reads random sheets in random chunks as written', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (rows, cutSeeds) => {
        const strings: string[] = [];
        const expected: [number, string[]][] = [];
        let xml = '';
        let next = 1; // a row without r= is the one after the last
        for (const row of rows) {
          const rowNo = row.withRef ? next + row.gapBefore : next;
          next = rowNo + 1;
          const cells: string[] = [];
          let body = '';
          let col = -1;
          for (const c of row.cells) {
            col += c.withRef ? 1 + c.gap : 1;
            const q = c.singleQuotes ? "'" : '"';
            const ref = c.withRef ? ` r=${q}${colName(col)}${rowNo}${q}` : '';
            const typed = (t: string) => (c.typeFirst ? ` t=${q}${t}${q}${ref}` : `${ref} t=${q}${t}${q}`);
            let value: string;
            if (c.kind === 'shared') {
              strings.push(c.text);
              body += `<c${typed('s')}><v>${strings.length - 1}</v></c>`;
              value = c.text;
            } else if (c.kind === 'str') {
              body += `<c${typed('str')}><v>${escAttrText(c.text)}</v></c>`;
              value = c.text;
            } else if (c.kind === 'inline') {
              body += `<c${typed('inlineStr')}><is><t xml:space="preserve">${esc(c.text)}</t></is></c>`;
              value = c.text;
            } else if (c.kind === 'rich') {
              const cp = Array.from(c.text);
              const half = Math.floor(cp.length / 2);
              body += `<c${typed('inlineStr')}><is><r><rPr><b/><rFont val="宋体"/></rPr><t>${esc(cp.slice(0, half).join(''))}</t></r><r><t>${esc(cp.slice(half).join(''))}</t></r></is></c>`;
              value = c.text;
            } else if (c.kind === 'bool') {
              body += `<c${typed('b')}><v>${c.text.length % 2}</v></c>`;
              value = String(c.text.length % 2);
            } else {
              body += `<c${ref} s="1"><v>${c.number}</v></c>`;
              value = c.number;
            }
            while (cells.length < col) cells.push('');
            cells[col] = value;
          }
          xml += `<row${row.withRef ? ` r="${rowNo}"` : ''} spans="1:9">${body}</row>`;
          expected.push([rowNo, cells]); // every text written is non-empty
        }
        const doc = sheet(xml);
        const n = Buffer.byteLength(doc);
        const read = scan(doc, cutSeeds.map((s) => s % n), { strings });
        expect(read.rows).toEqual(expected);
        expect(read.truncated).toBe(false);
      }),
      { seed, numRuns: 300 },
    );
  });
});

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// The workbook's own zip (src/report/zip.ts): entries deflated in 1 MiB blocks on a worker thread must read back as
// exactly what was written (sizes and CRC-32 checked), the same content must give the same file, the parts exceljs
// renders must be byte for byte those it writes through its own archiver, and a failure must surface as an error.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModels, streamWorkbook, writeWorkbook } from '../../src/report/workbook/index.js';
import { renderSheet } from '../../src/report/workbook/render.js';
import { ZipWriter } from '../../src/report/zip.js';
import { zipParts } from '../helpers/unzip.js';
import { scanWorkedExample, workedExampleClaims, workedExampleResult as R, workedExampleScenarioObject } from '../fixtures/report/worked-example.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The entries of a zip file in order (central directory), each inflated and checked against its size and CRC-32. */
function unzip(file: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [name, part] of zipParts(file)) {
    expect(part.centralSignature).toBe(0x02014b50);
    expect(part.localSignature).toBe(0x04034b50);
    expect(part.content.length, name).toBe(part.size);
    expect(crc32(part.content) >>> 0, name).toBe(part.crc);
    // the data descriptor after the data repeats CRC and sizes
    expect(part.descriptor).toEqual([0x08074b50, part.crc, part.compressed, part.size]);
    entries.set(name, part.content);
  }
  return entries;
}

/** A stream like exceljs's StreamBuf: pipes into one destination, written to later. */
class FakeStream extends EventEmitter {
  dest: { write(b: Buffer): unknown; end(): unknown } | undefined;
  pipe(d: { write(b: Buffer): unknown; end(): unknown }) {
    this.dest = d;
  }
}

const finished = (zip: ZipWriter) =>
  new Promise<void>((resolve, reject) => {
    zip.once('finish', resolve);
    zip.once('error', reject);
    zip.finalize();
  });

/** Pseudo-random text that deflates poorly (so blocks stay large), with CJK as UTF-8 bytes. */
function text(bytes: number, seed: number): string {
  let s = '';
  let x = seed;
  while (s.length < bytes) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += (x % 7 === 0 ? Buffer.from('县级医院', 'utf8').toString('latin1') : '') + x.toString(36);
  }
  return s.slice(0, bytes);
}

async function sample(file: string): Promise<Record<string, string>> {
  const zip = new ZipWriter(file, { level: 1, date: new Date(Date.UTC(2024, 11, 31)) });
  const early = new FakeStream();
  const streamed = new FakeStream();
  const big = new FakeStream();
  zip.append('<a/>', { name: '/first.xml' });
  zip.append(streamed, { name: 'streamed.xml' });
  zip.append(early, { name: 'early.xml' }); // written to before `streamed` ends: held back until its turn
  early.dest!.write(Buffer.from('early '));
  streamed.dest!.write(Buffer.from('one '));
  early.dest!.write(Buffer.from('data'));
  streamed.dest!.write(Buffer.from('two'));
  early.dest!.end();
  streamed.dest!.end();
  zip.append(Buffer.from(''), { name: 'empty.xml' });
  zip.append(big, { name: 'xl/worksheets/big.xml' });
  const head = '<worksheet><sheetData>';
  big.dest!.write(Buffer.from(head));
  const rows = text((5 << 20) / 2 + 12345, 7); // several blocks and a partial one, through the direct path
  const entry = zip.entryOf(big)!;
  for (let i = 0; i < rows.length; i += 70_001) zip.writeLatin1(entry, rows.slice(i, i + 70_001));
  big.dest!.end();
  const exact = text(1 << 20, 11); // exactly one block
  zip.append(Buffer.from(exact, 'latin1'), { name: 'exact.bin' });
  await finished(zip);
  return { 'first.xml': '<a/>', 'streamed.xml': 'one two', 'early.xml': 'early data', 'empty.xml': '', 'xl/worksheets/big.xml': head + rows, 'exact.bin': exact };
}

describe('the workbook zip', () => {
  it('reads back as written: parts in order, blocks across 1 MiB boundaries, CRC and sizes', async () => {
    const file = join(dir, 'a.zip');
    const expected = await sample(file);
    const got = unzip(file);
    expect([...got.keys()]).toEqual(Object.keys(expected));
    for (const [name, content] of got) expect(content.toString('latin1') === expected[name], name).toBe(true);
  });

  it('gives the same bytes for the same content', async () => {
    await sample(join(dir, 'b1.zip'));
    await sample(join(dir, 'b2.zip'));
    expect(readFileSync(join(dir, 'b1.zip')).equals(readFileSync(join(dir, 'b2.zip')))).toBe(true);
  });

  it('reports a file it cannot write, and a direct write after that throws', async () => {
    const zip = new ZipWriter(join(dir, 'no-such-folder', 'x.zip'), { level: 1, date: new Date(Date.UTC(2024, 11, 31)) });
    const s = new FakeStream();
    zip.append(s, { name: 'x.xml' });
    await new Promise((r) => setTimeout(r, 200)); // the worker has tried to open the file
    expect(() => zip.writeLatin1(zip.entryOf(s)!, 'x'.repeat(2 << 20))).toThrow(/ENOENT/);
    await expect(finished(zip)).rejects.toThrow(/ENOENT/);
    await zip.abort();
  });

  it("holds exceljs's parts byte for byte as exceljs writes them through its own archiver", async () => {
    const input = { result: R, scenarioObject: workedExampleScenarioObject, engineVersion: '0.1.0-test', scanPricedClaims: scanWorkedExample };
    const models = buildModels(input);
    const sheets = [models.summary, models.budget, models.members, models.methods, models.journal, models.parameters];
    const ours = join(dir, 'ours.xlsx');
    await streamWorkbook(ours, { engineVersion: '0.1.0-test', year: R.scenario.year }, async (wb) => {
      for (const m of sheets) renderSheet(wb, m);
    });
    const theirs = join(dir, 'theirs.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: theirs, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
    wb.creator = 'yibao 0.1.0-test';
    wb.lastModifiedBy = wb.creator;
    wb.created = new Date(Date.UTC(R.scenario.year, 11, 31));
    wb.modified = wb.created;
    for (const m of sheets) renderSheet(wb, m);
    await wb.commit();
    const a = unzip(ours);
    const b = new ExcelJS.Workbook();
    await b.xlsx.readFile(ours); // and exceljs reads ours
    expect(b.worksheets.map((w) => w.name)).toEqual(sheets.map((m) => m.name));
    const c = unzip(theirs);
    expect([...a.keys()]).toEqual([...c.keys()]);
    for (const [name, content] of a) expect(content.equals(c.get(name)!), name).toBe(true);
  });

  it('writes a settlement workbook with many claim rows (several blocks, continued sheets) that exceljs reads back', async () => {
    const many = async (visit: Parameters<typeof scanWorkedExample>[0]) => {
      for (let k = 0; k < 1500; k++) for (const [p, at] of workedExampleClaims) visit(p, { file: at.file, row: at.row + k * workedExampleClaims.length });
    };
    const path = join(dir, 'many.xlsx');
    await writeWorkbook(path, { result: R, scenarioObject: workedExampleScenarioObject, engineVersion: '0.1.0-test', scanPricedClaims: many }, { claimRowsPerSheet: 5000 });
    const entries = unzip(path);
    const claimXml = [...entries.entries()].filter(([, c]) => c.includes('结算单据号')).map(([, c]) => c.length);
    expect(claimXml.some((n) => n > 1 << 20)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const detail = wb.worksheets.filter((w) => w.name.startsWith('明细'));
    const total = 1500 * workedExampleClaims.length;
    expect(detail.length).toBe(Math.ceil(total / 5000));
    let rows = 0;
    for (const ws of detail) ws.eachRow((row) => (rows += row.number >= 3 ? 1 : 0));
    expect(rows).toBe(total);
    const last = detail[detail.length - 1];
    const n = ((total - 1) % 5000) + 3;
    expect(last.getCell(`V${n}`).value).toBe(workedExampleClaims[(total - 1) % workedExampleClaims.length][1].row + Math.floor((total - 1) / workedExampleClaims.length) * workedExampleClaims.length);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

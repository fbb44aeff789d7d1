#!/usr/bin/env node
// Where the auditor workbook's time goes (issue 14): the claim sheet's cells written by exceljs's streaming writer
// alone, against the same rows' XML built directly (ClaimRowXml, what `settle --xlsx` uses), and the zip's deflate
// alone, each on the same cells, without the settlement around them.
//
//   node scripts/bench-xlsx-writer.mjs [--scenario scenarios/demo.yaml] [--rows 1000000] [--sample 50000]
//                                      [--modes exceljs-6,exceljs-1,xml,raw-6,raw-1,zip-1,deflate-6,deflate-1]
//
// The cells are those of the scenario's first `--sample` priced in-group claims (claimCells), repeated up to `--rows`
// rows. Modes: exceljs-L — Row/Cell objects and row.commit(), as the workbook did before, zip level L; xml — the
// rows' XML, encoded into one buffer, only; raw-L — that XML (all built first) written into exceljs's worksheet
// stream (exceljs's zip: archiver), zip level L; zip-1 — the same rows written as `settle --xlsx` writes them now:
// straight into the sheet's entry of yibao's zip (src/report/zip.ts, deflate on a worker thread); deflate-L — zlib's
// raw deflate of the same XML bytes in 4 MB pieces on the thread pool, nothing else. CPU is the process's user +
// system time (deflate runs on other threads), wall the elapsed time; the 1-minute load average is printed beside.
import { existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const o = { scenario: join(root, 'scenarios', 'demo.yaml'), rows: 1_000_000, sample: 50_000, modes: ['exceljs-6', 'exceljs-1', 'xml', 'raw-6', 'raw-1', 'zip-1', 'deflate-6', 'deflate-1'] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = argv[++i];
  if (a === '--scenario') o.scenario = resolve(v);
  else if (a === '--rows') o.rows = Number(v);
  else if (a === '--sample') o.sample = Number(v);
  else if (a === '--modes') o.modes = v.split(',');
  else throw new Error(`unknown option ${a}`);
}
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
const dist = (p) => import(join(root, 'dist', p));
const { loadScenarioWithOverrides } = await dist('scenario/load.js');
const { settleScenario } = await dist('app/settle.js');
const { pricedClaimScanner } = await dist('app/claims.js');
const { claimCells, ClaimRowXml, CLAIM_COLUMNS } = await dist('report/workbook/claims.js');
const { addSheet, writeHeader, writeTitle, fenToNumber } = await dist('report/workbook/render.js');
const { streamWorkbook } = await dist('report/workbook/index.js');
const { MONEY_FMT, INT_FMT, FIRST_DATA_ROW } = await dist('report/workbook/model.js');
const ExcelJS = (await import(join(root, 'node_modules', 'exceljs', 'excel.js'))).default;

const loaded = loadScenarioWithOverrides(o.scenario, []);
const run = await settleScenario(loaded.scenario, loaded.inputs, { progress: false });
const sample = [];
await pricedClaimScanner(run.scenario, run.source, run.result.actuals)((p, at) => {
  if (sample.length < o.sample) sample.push(claimCells(p, at));
});
process.stdout.write(`${o.rows.toLocaleString('en-US')} claim rows from ${sample.length.toLocaleString('en-US')} priced claims of ${o.scenario}\n`);

function sheetOf(wb) {
  const ws = addSheet(wb, '明细 Claims', CLAIM_COLUMNS, CLAIM_COLUMNS.map((c) => c.width ?? 12), 0);
  for (const c of [13, 14, 15, 17, 20]) ws.getColumn(c).numFmt = MONEY_FMT;
  ws.getColumn(10).numFmt = INT_FMT;
  ws.getColumn(22).numFmt = '0';
  ws.getColumn(18).numFmt = '#,##0.00##';
  for (const c of [8, 9, 11, 12]) ws.getColumn(c).alignment = { horizontal: 'center' };
  writeTitle(ws, 'bench', 8);
  writeHeader(ws, CLAIM_COLUMNS);
  return ws;
}
const plain = (cell) => (cell === null || typeof cell === 'string' ? cell : cell.t === 'money' ? fenToNumber(cell.fen) : cell.t === 'int' ? cell.v : cell.t === 'num' ? Number(cell.text) : cell.v);
const turn = () => new Promise((r) => setImmediate(r));
/** Waits while more than 4 MB are queued ahead of deflate (the workbook's own flow control, simplified). */
async function drain(ws) {
  const queued = () => (ws.stream.pipes ?? []).reduce((n, p) => n + (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0), 0) + ws.stream.buffers.reduce((n, b) => n + b.length, 0);
  while (queued() > 1 << 20) await new Promise((r) => setTimeout(r, 2));
}

async function viaExceljs(level) {
  const file = join(root, 'bench-data', `writer-exceljs-${level}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false, zip: { zlib: { level } } });
  const ws = sheetOf(wb);
  let styles = [];
  for (let r = 0; r < o.rows; r++) {
    const values = sample[r % sample.length].map(plain);
    const row = ws.getRow(FIRST_DATA_ROW + r);
    for (let i = 0; i < values.length; i++) {
      if (values[i] === null) continue;
      const cell = row.getCell(i + 1);
      cell.style = styles[i] ??= cell.style;
      cell.value = values[i];
    }
    row.commit();
    if (r % 200 === 199) {
      await drain(ws);
      await turn();
    }
  }
  ws.commit();
  await wb.commit();
  rmSync(file, { force: true });
}

/** The rows' XML as `settle --xlsx` spools it: each row encoded into one reused 4 MB buffer; `onChunk` gets copies. */
function xmlChunks(wb, ws, onChunk) {
  const xml = new ClaimRowXml(wb, ws);
  const buf = Buffer.allocUnsafe(4 << 20);
  let used = 0;
  let bytes = 0;
  const flush = () => {
    bytes += used;
    onChunk(Buffer.from(buf.subarray(0, used)));
    used = 0;
  };
  for (let r = 0; r < o.rows; r++) {
    const row = xml.row(sample[r % sample.length], FIRST_DATA_ROW + r);
    if (used + row.length > buf.length) flush();
    used += buf.write(row, used, 'latin1');
  }
  flush();
  return bytes;
}

async function viaRaw(level) {
  const file = join(root, 'bench-data', `writer-raw-${level}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false, zip: { zlib: { level } } });
  const ws = sheetOf(wb);
  const chunks = [];
  let done = false;
  // The chunks are handed to the worksheet stream as the zip takes them (the spool file's role in `settle --xlsx`).
  const writer = (async () => {
    for (;;) {
      const c = chunks.shift();
      if (c === undefined) {
        if (done) break;
        await turn();
        continue;
      }
      await ws.stream.write(c);
      await drain(ws);
    }
  })();
  xmlChunks(wb, ws, (c) => chunks.push(c));
  done = true;
  await writer;
  ws.commit();
  await wb.commit();
  rmSync(file, { force: true });
}

/** The rows as `settle --xlsx` writes them: each row's XML straight into the claim sheet's entry of yibao's zip. */
async function viaZip() {
  const file = join(root, 'bench-data', 'writer-zip.xlsx');
  await streamWorkbook(file, { engineVersion: 'bench', year: 2024 }, async (wb) => {
    const ws = sheetOf(wb);
    const xml = new ClaimRowXml(wb, ws);
    ws.stream.uncork();
    const zip = wb.zip;
    const entry = zip.entryOf(ws.stream);
    for (let r = 0; r < o.rows; r++) zip.writeLatin1(entry, xml.row(sample[r % sample.length], FIRST_DATA_ROW + r));
    ws.commit();
  });
  rmSync(file, { force: true });
}

async function deflateOnly(level) {
  const chunks = [];
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(root, 'bench-data', 'writer-xml.xlsx'), useStyles: true });
  xmlChunks(wb, sheetOf(wb), (b) => chunks.push(b));
  const deflate = promisify(zlib.deflateRaw);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let out = 0;
  for (const c of chunks) out += (await deflate(c, { level })).length;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1000, note: `${(chunks.reduce((n, b) => n + b.length, 0) / 1e6).toFixed(0)} MB → ${(out / 1e6).toFixed(0)} MB` };
}

async function timed(f) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const note = await f();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1000, note };
}

for (const mode of o.modes) {
  const [kind, lv] = mode.split('-');
  const level = Number(lv);
  const load = loadavg()[0];
  let r;
  if (kind === 'exceljs') r = await timed(() => viaExceljs(level));
  else if (kind === 'raw') r = await timed(() => viaRaw(level));
  else if (kind === 'zip') r = await timed(() => viaZip());
  else if (kind === 'xml') {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(root, 'bench-data', 'writer-xml.xlsx'), useStyles: true });
    const ws = sheetOf(wb);
    r = await timed(() => `${(xmlChunks(wb, ws, () => undefined) / 1e6).toFixed(0)} MB of sheet XML`);
  }
  else if (kind === 'deflate') r = await deflateOnly(level);
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`${mode.padEnd(10)} cpu ${r.cpu.toFixed(1).padStart(6)} s   wall ${r.wall.toFixed(1).padStart(6)} s   load ${load.toFixed(1)}${r.note ? `   ${r.note}` : ''}\n`);
}
rmSync(join(root, 'bench-data', 'writer-xml.xlsx'), { force: true });

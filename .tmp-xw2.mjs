import ExcelJS from 'exceljs';
import v8 from 'node:v8';
const N = Number(process.argv[2] ?? 300000);
const mode = process.argv[3] ?? '';
const t0 = Date.now();
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: '/tmp/pp/x2.xlsx', useStyles: false, useSharedStrings: false });
const ws = wb.addWorksheet('明细');
ws.columns = Array.from({ length: 22 }, (_, i) => ({ key: 'c' + i, width: 12 }));
let peak = 0;
const mu = () => { const m = process.memoryUsage(); return `rss ${(m.rss/1e6)|0} heap ${(m.heapUsed/1e6)|0} ext ${(m.external/1e6)|0} ab ${(m.arrayBuffers/1e6)|0}`; };
for (let i = 0; i < N; i++) {
  const row = ws.getRow(i + 3);
  for (let c = 1; c <= 22; c++) row.getCell(c).value = c < 12 ? `清溪县${i}-${c}` : i * 1.25 + c;
  row.commit();
  if (i % 20000 === 0) { await new Promise((r) => setImmediate(r)); if (mode==='gc') globalThis.gc(); peak = Math.max(peak, process.memoryUsage().rss); console.log(i, mu()); }
  if (mode === 'snap' && i === N - 1) { globalThis.gc(); console.log('snap', v8.writeHeapSnapshot('/tmp/pp/h.heapsnapshot')); }
}
ws.commit();
await wb.commit();
console.log(N, 'rows', Date.now() - t0, 'ms', 'peak rss MB', (peak / 1e6).toFixed(0));

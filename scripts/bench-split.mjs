#!/usr/bin/env node
// The floor for `settle` in the benchmark: read a UTF-8 file in the importer's chunk size, decode it and split it
// into lines, nothing else. `node scripts/bench-split.mjs FILE` prints the number of lines.
import { open } from 'node:fs/promises';

const fh = await open(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 18);
const decoder = new TextDecoder('utf-8');
let carry = '';
let lines = 0;
for (;;) {
  const { bytesRead } = await fh.read(buf, 0, buf.length, null);
  if (bytesRead === 0) break;
  const parts = (carry + decoder.decode(buf.subarray(0, bytesRead), { stream: true })).split('\n');
  carry = parts.pop();
  lines += parts.length;
}
if (carry !== '') lines++;
await fh.close();
process.stdout.write(`${lines}\n`);

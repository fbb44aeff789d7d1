// Fuzzing scenario files (issue 11): random mutations of scenarios/demo.yaml — lines dropped, doubled, swapped or
// re-indented, values replaced by nasty tokens, characters inserted — settle or are rejected with bilingual input
// errors (exit 1). Never an unexpected exception (exit 4) and never a hang.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { settleScenario } from '../../src/app/settle.js';
import { InputRejected } from '../../src/domain/errors.js';
import { resultToJsonText } from '../../src/report/json.js';
import { renderStatement } from '../../src/report/statement.js';
import { loadScenarioWithOverrides } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-scenario-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = mkdtempSync(join(dir, 'data-'));
// A small claims file (the first 1,500 rows of the demo's) keeps each run short; the tables are the demo's.
writeFileSync(join(data, 'claims-2024.csv'), readFileSync('data/claims-2024.csv', 'utf8').split('\n').slice(0, 1501).join('\n'));
copyFileSync('data/drg-weights.csv', join(data, 'drg-weights.csv'));
copyFileSync('data/dip-groups.csv', join(data, 'dip-groups.csv'));
const LINES = readFileSync('scenarios/demo.yaml', 'utf8').replace(/\.\.\/data\//g, `${data}/`).split('\n');

const NASTY = [
  '', '-1', '0', '1e400', '99999999999999999999', '100000000000', '0.0000000000000000000001', '"', "'", '&x [*x]', '*x', '：',
  '\t', 'null', '~', '[]', '{}', '[1, 2', 'ＡＢ', 'H01\u00A0', 'h01', 'NaN', '-0', 'true', '2024', '1000000', '|', '>', '#', '- a',
  '{ id: Z9, tier: county }', '/dev/urandom', '..', 'extends: demo.yaml',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), token: fc.constantFrom(...NASTY) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), pos: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 3 })) }),
);

function mutate(lines: string[], m: Record<string, unknown>): string[] {
  const out = [...lines];
  const i = (m.at as number) % out.length;
  switch (m.kind) {
    case 'drop':
      out.splice(i, 1);
      break;
    case 'double':
      out.splice(i, 0, out[i]);
      break;
    case 'swap': {
      const j = (m.to as number) % out.length;
      [out[i], out[j]] = [out[j], out[i]];
      break;
    }
    case 'indent':
      out[i] = (m.by as number) >= 0 ? ' '.repeat(m.by as number) + out[i] : out[i].replace(new RegExp(`^ {0,${-(m.by as number)}}`), '');
      break;
    case 'value': {
      const colon = out[i].indexOf(': ');
      out[i] = colon < 0 ? `${out[i]} ${m.token as string}` : `${out[i].slice(0, colon + 2)}${m.token as string}`;
      break;
    }
    case 'insert': {
      const p = (m.pos as number) % (out[i].length + 1);
      out[i] = out[i].slice(0, p) + (m.text as string) + out[i].slice(p);
      break;
    }
  }
  return out;
}

let n = 0;

describe('fuzzing scenario files', () => {
  it('random mutations of demo.yaml settle or are rejected as input errors, never an unexpected exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        let lines = LINES;
        for (const m of ms) lines = mutate(lines, m as Record<string, unknown>);
        const file = join(dir, `s${n++}.yaml`);
        writeFileSync(file, lines.join('\n'));
        try {
          const loaded = loadScenarioWithOverrides(file);
          const run = await settleScenario(loaded.scenario, loaded.inputs, { progress: false });
          expect(renderStatement(run.result)).toContain('Checks');
          expect(resultToJsonText(run.result, 'test').length).toBeGreaterThan(0);
        } catch (e) {
          if (!(e instanceof InputRejected)) throw e; // would be exit 4
          for (const x of e.errors) {
            expect(x.zh).toBeTruthy();
            expect(x.en).toBeTruthy();
            expect(x.file).toBeTruthy();
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});

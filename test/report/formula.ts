// A tiny evaluator for the formulas the workbook writes (cell and range references, also to other sheets; + − ×
// ÷; SUM, SUMIF, ABS, ROUND, IF, COUNTIF; comparisons), so tests can recalculate every formula from the cells it
// references and compare with the cached value Excel would show before recalculation.
import type ExcelJS from 'exceljs';

type Value = number | string | boolean | Value[];

export class Evaluator {
  constructor(private readonly wb: ExcelJS.Workbook) {}

  /** The value of a cell: a formula's recalculated value, else the stored value (empty = 0 for numbers). */
  valueOf(sheet: string, address: string, depth = 0): number | string {
    const ws = this.wb.getWorksheet(sheet);
    if (ws === undefined) throw new Error(`no sheet ${sheet}`);
    const cell = ws.getCell(address.replace(/\$/g, ''));
    const v = cell.value as ExcelJS.CellValue;
    if (v !== null && typeof v === 'object' && 'formula' in v) return this.evaluate(sheet, (v as ExcelJS.CellFormulaValue).formula, depth + 1) as number | string;
    if (v === null || v === undefined) return '';
    if (typeof v === 'number' || typeof v === 'string') return v;
    throw new Error(`unsupported cell value at ${sheet}!${address}`);
  }

  evaluate(sheet: string, formula: string, depth = 0): Value {
    if (depth > 50) throw new Error('formula nesting too deep');
    const p = new Parser(formula, sheet, this, depth);
    const v = p.expr();
    p.end();
    return v;
  }

  range(sheet: string, from: string, to: string, depth: number): Array<number | string> {
    const a = split(from);
    const b = split(to);
    const out: Array<number | string> = [];
    for (let r = a.row; r <= b.row; r++) for (let c = a.col; c <= b.col; c++) out.push(this.valueOf(sheet, `${letters(c)}${r}`, depth));
    return out;
  }
}

function split(address: string): { col: number; row: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(address);
  if (!m) throw new Error(`bad address ${address}`);
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: Number(m[2]) };
}

function letters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const num = (v: Value): number => (typeof v === 'number' ? v : v === '' ? 0 : typeof v === 'boolean' ? Number(v) : Number.NaN);

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly sheet: string,
    private readonly ev: Evaluator,
    private readonly depth: number,
  ) {}

  end(): void {
    if (this.i !== this.s.length) throw new Error(`unparsed: ${this.s.slice(this.i)}`);
  }

  private peek(t: string): boolean {
    return this.s.startsWith(t, this.i);
  }

  private eat(t: string): boolean {
    if (this.peek(t)) {
      this.i += t.length;
      return true;
    }
    return false;
  }

  expr(): Value {
    const left = this.additive();
    for (const op of ['<>', '<=', '>=', '=', '<', '>']) {
      if (this.eat(op)) {
        const right = this.additive();
        const a = left as number | string;
        const b = right as number | string;
        switch (op) {
          case '=': return a === b;
          case '<>': return a !== b;
          case '<': return a < b;
          case '>': return a > b;
          case '<=': return a <= b;
          default: return a >= b;
        }
      }
    }
    return left;
  }

  private additive(): Value {
    let v = this.term();
    for (;;) {
      if (this.eat('+')) v = num(v) + num(this.term());
      else if (this.eat('-')) v = num(v) - num(this.term());
      else return v;
    }
  }

  private term(): Value {
    let v = this.unary();
    for (;;) {
      if (this.eat('*')) v = num(v) * num(this.unary());
      else if (this.eat('/')) v = num(v) / num(this.unary());
      else return v;
    }
  }

  private unary(): Value {
    if (this.eat('-')) return -num(this.unary());
    return this.primary();
  }

  private args(): Value[] {
    const out: Value[] = [];
    if (this.eat(')')) return out;
    do out.push(this.expr());
    while (this.eat(','));
    if (!this.eat(')')) throw new Error('expected )');
    return out;
  }

  private primary(): Value {
    if (this.eat('(')) {
      const v = this.expr();
      if (!this.eat(')')) throw new Error('expected )');
      return v;
    }
    if (this.eat('"')) {
      const j = this.s.indexOf('"', this.i);
      const t = this.s.slice(this.i, j);
      this.i = j + 1;
      return t;
    }
    const n = /^\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (n) {
      this.i += n[0].length;
      return Number(n[0]);
    }
    const fn = /^([A-Z]+)\(/.exec(this.s.slice(this.i));
    if (fn) {
      this.i += fn[0].length;
      return this.call(fn[1], this.args());
    }
    // A reference: optionally 'Sheet name'!, then A1 or A1:B2.
    let sheet = this.sheet;
    if (this.eat("'")) {
      const j = this.s.indexOf("'!", this.i);
      sheet = this.s.slice(this.i, j);
      this.i = j + 2;
    }
    const ref = /^(\$?[A-Z]+\$?\d+)(:(\$?[A-Z]+\$?\d+))?/.exec(this.s.slice(this.i));
    if (!ref) throw new Error(`cannot parse at: ${this.s.slice(this.i)}`);
    this.i += ref[0].length;
    if (ref[3] !== undefined) return this.ev.range(sheet, ref[1], ref[3], this.depth);
    return this.ev.valueOf(sheet, ref[1], this.depth);
  }

  private call(name: string, a: Value[]): Value {
    const flat = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);
    switch (name) {
      case 'SUM':
        return a.flatMap(flat).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
      case 'SUMIF': {
        const keys = flat(a[0]);
        const vals = flat(a[2]);
        return keys.reduce<number>((s, k, i) => s + (k === a[1] && typeof vals[i] === 'number' ? (vals[i] as number) : 0), 0);
      }
      case 'COUNTIF':
        return flat(a[0]).filter((k) => k === a[1]).length;
      case 'ABS':
        return Math.abs(num(a[0]));
      case 'ROUND': {
        const f = 10 ** num(a[1]);
        return Math.round(num(a[0]) * f) / f;
      }
      case 'IF':
        return a[0] ? a[1] : a[2];
      default:
        throw new Error(`unsupported function ${name}`);
    }
  }
}

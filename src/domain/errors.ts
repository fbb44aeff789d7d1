// The two kinds of failure. Input problems are values (InputError) collected and reported together; they reach the
// edge wrapped in `InputRejected`. A broken invariant is a bug: `InvariantViolation` carries the figures that disagree.
import type { InputError } from './types.js';

export class InputRejected extends Error {
  constructor(
    readonly errors: readonly InputError[],
    readonly totalErrors: number = errors.length,
  ) {
    super(`${totalErrors} input error(s); first: ${errors[0]?.en ?? '(none)'}`);
    this.name = 'InputRejected';
  }
}

export class InvariantViolation extends Error {
  constructor(
    readonly invariant: string,
    readonly detail: string,
  ) {
    super(`invariant broken (不变式被破坏) ${invariant}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

export function invariant(condition: boolean, name: string, detail: () => string): asserts condition {
  if (!condition) throw new InvariantViolation(name, detail());
}

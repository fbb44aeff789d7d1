// The claims generator's draws on the shared seeded generator (src/lib/sfc32.ts): uniforms and skewed factors
// built with + * / only, so a seed gives the same claims on every platform.

import { Sfc32Core } from '../lib/sfc32.js';

export class Rng extends Sfc32Core {
  constructor(seed: number) {
    super(seed, 12);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 0x100000000;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * A right-skewed positive factor with mean ≈ 1 (range ≈ 0.35–2.3, plus a rare heavy tail), built from uniforms
   * only — no log/exp, whose last bits may differ between engines.
   */
  skew(): number {
    const u1 = this.next();
    const u2 = this.next();
    const u3 = this.next();
    let f = 0.35 + 1.3 * (u1 * u2 + 0.5 * u3);
    if (this.next() < 0.02) f *= 2 + 2 * this.next();
    return f;
  }

  /** A factor close to 1 (0.7–1.3, bell-shaped), for costs that follow a payment standard. */
  near(): number {
    return 0.7 + 0.2 * (this.next() + this.next() + this.next());
  }
}

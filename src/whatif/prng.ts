// The what-if tools' own seeded generator: sfc32 seeded through splitmix32 (integer operations only, so a seed
// gives the same uniform sequence everywhere), standard normals by Box–Muller, and mean-one lognormal factors.
import { Sfc32Core } from '../lib/sfc32.js';

export class Sfc32 extends Sfc32Core {
  private spare: number | undefined;

  constructor(seed: number) {
    super(seed, 15);
  }

  /** Uniform in (0, 1), never 0 (53 bits). */
  uniform(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** A lognormal factor with mean 1 and coefficient of variation `cv` (exactly 1 when cv is 0; always draws). */
  factor(cv: number): number {
    const z = this.normal();
    if (cv === 0) return 1;
    const s2 = Math.log(1 + cv * cv);
    return Math.exp(-s2 / 2 + Math.sqrt(s2) * z);
  }
}

// A small seeded pseudo-random generator (sfc32, seeded through splitmix32). Only + * / and integer bit operations
// are used, so a seed gives the same sequence on every platform and Node version (no Math.random, no clock).

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    // Fold a seed wider than 32 bits into the splitmix state, so 1 and 2^32 + 1 differ.
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    const mix = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
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

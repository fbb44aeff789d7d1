// A small seeded pseudo-random generator: sfc32 seeded through splitmix32. Only integer bit operations, so a seed
// gives the same sequence on every platform and Node version (no Math.random, no clock). The claims generator and
// the risk simulation each extend it with the draws they need.

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

export class Sfc32Core {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `warmup` rounds are discarded after seeding (each user keeps its own count, so its sequences stay as they were). */
  constructor(seed: number, warmup: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    // Fold a seed wider than 32 bits into the splitmix state, so 1 and 2^32 + 1 differ.
    const hi = Math.floor(seed / 0x100000000) >>> 0;
    const mix = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < warmup; i++) this.u32();
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
}

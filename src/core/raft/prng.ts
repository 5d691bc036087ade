// Seeded pseudo-random generator (mulberry32). The core takes randomness only from here so a
// seed reproduces a whole run.

export interface Prng {
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function seededPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n) => Math.floor(next() * n) };
}

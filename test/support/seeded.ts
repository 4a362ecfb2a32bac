// Seeded random numbers for property tests: reproducible, so a failure names the seed that broke it.

/** mulberry32: a small deterministic generator, so that a failing property run can be replayed by its seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

export type SeededRandom = ReturnType<typeof seededRandom>;

/** Numbers in [0, 1) from `seed`. */
export function seeded(seed: number): () => number {
  return seededRandom(seed).next;
}

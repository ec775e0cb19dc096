/** mulberry32: a tiny seeded PRNG, so every engine sees the same bytes. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const intBelow = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

/** `k` distinct integers from [0, n), in draw order. */
export function distinct(rnd: () => number, n: number, k: number): number[] {
  const seen = new Set<number>();
  while (seen.size < Math.min(k, n)) seen.add(intBelow(rnd, n));
  return [...seen];
}

export const pad = (n: number, width: number): string => String(n).padStart(width, "0");

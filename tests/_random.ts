/**
 * A seeded xorshift generator for tests that need many varied inputs and a
 * failure that can be replayed.
 */

/** Integers in [0, n), from `seed`. */
export function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
}

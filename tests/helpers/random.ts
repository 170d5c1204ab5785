// A seeded random number generator, so a test that picks random moments can be replayed.

/** mulberry32: a small 32-bit PRNG; the same seed gives the same numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `variable` in the environment when set (to replay a failure), else the clock. */
export function seedFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = env[variable];
  if (given === undefined || given === '') return Date.now() >>> 0;
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`${variable} must be an integer, not "${given}"`);
  return seed >>> 0;
}

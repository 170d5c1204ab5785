// A seeded random number generator, so a test that picks random moments can be replayed.

/** The seeded series generator's own PRNG, so there is one copy of it. */
export { mulberry32 as seededRandom } from '../../scripts/seed/illustrative.ts';

/** The seed from `variable` in the environment when set (to replay a failure), else the clock. */
export function seedFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = env[variable];
  if (given === undefined || given === '') return Date.now() >>> 0;
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`${variable} must be an integer, not "${given}"`);
  return seed >>> 0;
}

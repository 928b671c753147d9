import fc from "fast-check";

/**
 * Property runs are reproducible by default: a fixed seed, so `npm test` gives the same verdict
 * every time. `FC_SEED=<n>` picks another seed; `FC_SEED=random` explores a fresh one (fast-check
 * prints the seed and path of any counterexample it finds).
 */
export function useSeed(fallback = 20_261_123): void {
  const env = process.env.FC_SEED;
  if (env === "random") return;
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: env === undefined ? fallback : Number(env) });
}

/** `n` runs, times `FC_RUNS_FACTOR` (default 1) for a longer hunt outside CI. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * Number(process.env.FC_RUNS_FACTOR ?? 1)));
}

/** How big each looped trial is: in CI (the *.e2e.test.ts files) and with `run-trial.ts --long`. */
export const TRIAL_SIZES = {
  ci: { kills: 10, bodies: 2000, files: 500 },
  long: { kills: 40, bodies: 20_000, files: 5000 },
} as const;

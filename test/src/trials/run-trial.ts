// Runs one fault or abuse trial of issue 12 and prints its figures (tried / survived / lost).
//   node --import tsx test/src/trials/run-trial.ts <sigkill|orphan|redis-loss|exfiltration|fuzz-api|fuzz-spec> [--long] [--json]
// --long runs the bigger loop (CI runs the short one through the *.e2e.test.ts files).
import { exfiltrationTrial } from './exfiltration-trial.js';
import { fuzzApiTrial } from './fuzz-api-trial.js';
import { fuzzSpecTrial } from './fuzz-spec-trial.js';
import { orphanTrial } from './orphan-trial.js';
import { redisLossTrial } from './redis-loss-trial.js';
import { sigkillTrial } from './sigkill-trial.js';
import { TRIAL_SIZES } from './trial-sizes.js';

const [name, ...flags] = process.argv.slice(2);
const size = flags.includes('--long') ? TRIAL_SIZES.long : TRIAL_SIZES.ci;
const json = flags.includes('--json');
const log = (line: string) => process.stderr.write(`${line}\n`);

const trials: Record<string, () => Promise<object>> = {
  sigkill: () => sigkillTrial({ kills: size.kills, log }),
  orphan: () => orphanTrial(log),
  'redis-loss': () => redisLossTrial(log),
  exfiltration: () => exfiltrationTrial(log),
  'fuzz-api': () => fuzzApiTrial({ bodies: size.bodies, log }),
  'fuzz-spec': () => fuzzSpecTrial({ files: size.files }),
};

const trial = name ? trials[name] : undefined;
if (!trial) {
  process.stderr.write(`usage: run-trial.ts <${Object.keys(trials).join('|')}> [--long] [--json]\n`);
  process.exit(2);
}
const figures = await trial();
process.stdout.write(
  json ? `${JSON.stringify(figures)}\n` : `${name}: ${JSON.stringify(figures, null, 2)}\n`,
);

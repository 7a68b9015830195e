import fc from 'fast-check';
import { isMyelinError, MyelinErrorList, type MyelinError } from '@myelin/errors';
import { parseSpec } from '@myelin/spec';
import { trialPipelineText } from './trial-stack.js';

/** What the pipeline-file fuzzer measured. */
export interface FuzzSpecFigures {
  /** Mutated pipeline files given to the spec loader. */
  tried: number;
  /** Accepted as valid pipelines. */
  valid: number;
  /** Refused with located MyelinErrors (file, and a line or a field path, on every message). */
  located: number;
  /** Threw something else, or a message without a location: a crash. */
  crashes: number;
  /** The first few crashes, with the input that caused them. */
  examples: string[];
}

const BASE = trialPipelineText({ name: 'fuzz', epochs: 3 });
const FIELDS = [
  ['apiVersion'],
  ['name'],
  ['data'],
  ['data', 'source'],
  ['data', 'target'],
  ['data', 'features'],
  ['data', 'split'],
  ['data', 'split', 'train'],
  ['validate'],
  ['validate', 'schema'],
  ['validate', 'columns'],
  ['preprocess'],
  ['model'],
  ['model', 'layers'],
  ['train'],
  ['train', 'epochs'],
  ['train', 'optimizer'],
  ['evaluate', 'gates'],
  ['register'],
  ['deploy'],
  ['monitor'],
];

/** A base object shaped like the pipeline, for structured mutations (JSON is YAML too). */
function baseObject(): Record<string, unknown> {
  return {
    apiVersion: 'myelin/v1',
    name: 'fuzz',
    data: {
      source: 'npm:vega-datasets/data/penguins.json',
      target: 'Species',
      split: { train: 0.7, validation: 0.15, test: 0.15 },
    },
    model: { layers: [{ dense: { units: 8, activation: 'relu' } }] },
    train: { epochs: 3, optimizer: { name: 'adam', learningRate: 0.01 } },
    evaluate: { gates: { accuracy: { min: 0.5 } } },
    register: { model: 'fuzz', aliases: ['staging'] },
  };
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Text mutations of the base file: cuts, insertions, swapped lines, odd characters, YAML features. */
const textMutation = fc
  .tuple(
    fc.nat(BASE.length),
    fc.nat(40),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '&a [1]',
        '*a',
        '!!js/function x',
        '<<: *a',
        '{',
        '[',
        ': :',
        '\t',
        '\u0000',
        '---\n',
        '%YAML 1.1\n',
        '? ',
        '"\\u',
      ),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
    ),
  )
  .map(([at, cut, insert]) => BASE.slice(0, at) + insert + BASE.slice(Math.min(BASE.length, at + cut)));

/** Structured mutations: a field of a valid pipeline set to any JSON value. */
const fieldMutation = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 3 })), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([edits]) => {
    const obj = baseObject();
    for (const [path, value] of edits) setPath(obj, path, value);
    return JSON.stringify(obj, null, 1);
  });

/** Whole random documents. */
const anyDocument = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

/** True when every message of the error says where (the file, and a line or a field path). */
function located(e: MyelinError): boolean {
  const all = e instanceof MyelinErrorList ? e.errors : [e];
  return all.every(
    (x) => x.location?.file !== undefined && (x.location.line !== undefined || x.location.path !== undefined),
  );
}

/**
 * Feeds mutated pipeline files to the spec loader (`parseSpec`): every one must either load or be
 * refused with MyelinErrors that say where; anything else (a TypeError, a stack overflow, a message
 * with no location) counts as a crash.
 */
export async function fuzzSpecTrial(opts: { files: number; seed?: number }): Promise<FuzzSpecFigures> {
  const figures: FuzzSpecFigures = { tried: 0, valid: 0, located: 0, crashes: 0, examples: [] };
  const inputs = fc.sample(
    fc.oneof(
      { weight: 5, arbitrary: textMutation },
      { weight: 4, arbitrary: fieldMutation },
      { weight: 1, arbitrary: anyDocument },
    ),
    {
      numRuns: opts.files,
      seed: opts.seed ?? 12,
    },
  );
  for (const text of inputs) {
    figures.tried++;
    try {
      parseSpec(text, 'fuzz.yaml');
      figures.valid++;
    } catch (e) {
      if (isMyelinError(e) && located(e)) figures.located++;
      else {
        figures.crashes++;
        if (figures.examples.length < 5)
          figures.examples.push(
            `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} <- ${JSON.stringify(text.slice(0, 200))}`,
          );
      }
    }
  }
  return figures;
}

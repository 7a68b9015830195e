import { RUN_STATUSES } from '@myelin/registry';

const nullableInt = { type: ['integer', 'null'] } as const;
const numberMap = { type: 'object', additionalProperties: { type: 'number' } } as const;
const recordedError = {
  type: ['object', 'null'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;
const modelRef = {
  type: ['object', 'null'],
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    manifest: { type: 'string' },
    aliases: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** Body of `POST /api/runs`. */
export interface SubmitRunBody {
  spec?: string;
  pipeline?: string;
  file?: string;
  overrides?: Record<string, unknown>;
  baseDir?: string;
  noCache?: boolean;
}

export const submitRunBodySchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Exactly one of `spec` (pipeline YAML text) and `pipeline` (the name of a pipeline that ran before: its latest recorded spec text, overrides included, runs again).',
  properties: {
    spec: { type: 'string', minLength: 1, description: 'Pipeline YAML text (at most 1 MiB; larger: 413).' },
    pipeline: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'Name of a pipeline recorded by an earlier run; reruns its latest recorded spec text.',
    },
    file: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description:
        'File name used in error messages (default pipeline.yaml); the CLI sends the path the user typed.',
    },
    overrides: {
      type: 'object',
      maxProperties: 100,
      additionalProperties: true,
      description:
        'Field path → value, applied to the YAML document before it is checked, e.g. {"train.epochs": 5, "model.layers[0].dense.units": 8}. Errors caused by an override name it.',
    },
    baseDir: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description:
        "Absolute folder of the client's pipeline file, for its relative data paths; it must lie inside the server's pipelines folder (a narrower folder, never a wider one), else 400 at body.baseDir. npm: sources work either way.",
    },
    noCache: { type: 'boolean', description: 'Re-run every step, ignoring cached step outputs.' },
  },
} as const;

export const submitRunResponseSchema = {
  type: 'object',
  required: ['runId'],
  properties: {
    runId: { type: 'string' },
    pipeline: { type: 'string' },
    specHash: { type: 'string' },
    source: { type: 'string', enum: ['spec', 'pipeline'] },
    dataDir: { type: 'string', description: 'The folder relative data paths resolve against.' },
    links: {
      type: 'object',
      properties: { run: { type: 'string' }, events: { type: 'string' }, cancel: { type: 'string' } },
    },
  },
} as const;

/** Query of `GET /api/runs`. */
export interface ListRunsQuerystring {
  status?: (typeof RUN_STATUSES)[number];
  pipeline?: string;
  limit?: number;
  cursor?: string;
}

export const listRunsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...RUN_STATUSES] },
    pipeline: { type: 'string', minLength: 1, maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' },
  },
} as const;

const runProperties = {
  id: { type: 'string' },
  pipeline: { type: 'string' },
  status: { type: 'string', enum: [...RUN_STATUSES] },
  trigger: { type: 'string' },
  specHash: { type: 'string' },
  parentRunId: { type: ['string', 'null'] },
  createdAt: { type: 'integer', description: 'epoch milliseconds' },
  startedAt: nullableInt,
  finishedAt: nullableInt,
  durationMs: nullableInt,
  error: recordedError,
  model: modelRef,
} as const;

export const runSchema = {
  $id: 'Run',
  type: 'object',
  required: ['id', 'pipeline', 'status'],
  properties: runProperties,
} as const;

export const listRunsResponseSchema = {
  type: 'object',
  required: ['runs', 'nextCursor'],
  properties: {
    runs: { type: 'array', items: { $ref: 'Run#' } },
    nextCursor: { type: ['string', 'null'], description: 'pass as cursor for the next page; null: no more' },
  },
} as const;

export const runIdParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

export const runDetailSchema = {
  type: 'object',
  required: ['id', 'pipeline', 'status', 'steps'],
  properties: {
    ...runProperties,
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          status: { type: 'string' },
          attempt: { type: 'integer' },
          startedAt: nullableInt,
          finishedAt: nullableInt,
          durationMs: nullableInt,
          error: recordedError,
          outputs: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
    epochs: {
      type: 'array',
      description: 'Per-epoch training metrics.',
      items: {
        type: 'object',
        properties: {
          step: { type: 'string' },
          epoch: { type: 'integer' },
          metrics: numberMap,
          durationMs: nullableInt,
        },
      },
    },
    metrics: { type: 'object', properties: { test: numberMap } },
    gates: {
      type: 'object',
      description: 'Gate verdicts: metric → { passed, value, bound }.',
      additionalProperties: {
        type: 'object',
        properties: { passed: { type: 'boolean' }, value: { type: 'number' }, bound: { type: 'string' } },
      },
    },
    comparison: { description: 'Comparison with the champion, when evaluate.compareTo is set.' },
    manifest: { type: ['string', 'null'] },
    backend: { type: ['string', 'null'] },
    engine: {
      type: ['object', 'null'],
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        device: { type: 'string' },
        threads: { type: 'integer' },
      },
    },
    exitCode: {
      type: ['integer', 'null'],
      description: 'as `myelin run`: 0 registered, 1 validation or a gate failed, 2 bad input, 3 an internal error',
    },
    specText: { type: 'string' },
  },
} as const;

export const cancelRunResponseSchema = {
  type: 'object',
  required: ['runId', 'status'],
  properties: {
    runId: { type: 'string' },
    status: {
      type: 'string',
      enum: ['cancelling'],
      description: 'the executor stops the run at its next safe point; follow its events for the end',
    },
  },
} as const;

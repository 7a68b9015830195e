const numberMap = { type: 'object', additionalProperties: { type: 'number' } } as const;
const aliasMap = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'alias → version',
} as const;

export const modelNameParamsSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const listModelsResponseSchema = {
  type: 'object',
  required: ['models'],
  properties: {
    models: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          createdAt: { type: 'integer' },
          latestVersion: { type: ['integer', 'null'] },
          aliases: aliasMap,
        },
      },
    },
  },
} as const;

export const modelDetailSchema = {
  type: 'object',
  required: ['name', 'versions', 'aliases'],
  properties: {
    name: { type: 'string' },
    createdAt: { type: 'integer' },
    latestVersion: { type: ['integer', 'null'] },
    aliases: aliasMap,
    versions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'integer' },
          manifestKey: { type: 'string' },
          metrics: numberMap,
          gates: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                passed: { type: 'boolean' },
                value: { type: 'number' },
                bound: { type: 'string' },
              },
            },
          },
          runId: { type: 'string' },
          specHash: { type: 'string' },
          dataHash: { type: 'string' },
          codeVersion: { type: 'string' },
          createdAt: { type: 'integer' },
          aliases: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    aliasHistory: {
      type: 'array',
      description: 'Every alias move, oldest first.',
      items: {
        type: 'object',
        properties: {
          alias: { type: 'string' },
          fromVersion: { type: ['integer', 'null'] },
          toVersion: { type: ['integer', 'null'] },
          who: { type: 'string' },
          why: { type: 'string' },
          at: { type: 'integer' },
        },
      },
    },
  },
} as const;

/** Body of `POST /api/models/:name/aliases`. */
export interface MoveAliasBody {
  alias: string;
  version: number;
  why?: string;
}

export const moveAliasBodySchema = {
  type: 'object',
  required: ['alias', 'version'],
  additionalProperties: false,
  properties: {
    alias: {
      type: 'string',
      pattern: '^[A-Za-z][A-Za-z0-9._-]{0,99}$',
      description: 'e.g. production, staging',
    },
    version: { type: 'integer', minimum: 1 },
    why: { type: 'string', maxLength: 1000, description: 'kept in the alias history' },
  },
} as const;

export const moveAliasResponseSchema = {
  type: 'object',
  required: ['model', 'alias', 'version'],
  properties: {
    model: { type: 'string' },
    alias: { type: 'string' },
    version: { type: 'integer' },
    previousVersion: { type: ['integer', 'null'] },
    who: { type: 'string' },
  },
} as const;

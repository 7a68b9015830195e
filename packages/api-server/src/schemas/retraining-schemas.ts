const nullableString = { type: ['string', 'null'] } as const;

export const scheduleSchema = {
  type: 'object',
  required: ['pipeline', 'cron', 'timezone', 'nextFireAt', 'createdAt', 'updatedAt'],
  properties: {
    pipeline: { type: 'string' },
    cron: {
      type: 'string',
      description: '5-field cron expression (minute hour day-of-month month day-of-week)',
    },
    timezone: { type: 'string', description: 'the time zone it is read in (UTC)' },
    nextFireAt: { type: 'integer', description: 'epoch ms' },
    specFile: nullableString,
    createdAt: { type: 'integer' },
    updatedAt: { type: 'integer' },
  },
} as const;

export const listSchedulesResponseSchema = {
  type: 'object',
  required: ['schedules'],
  properties: { schedules: { type: 'array', items: scheduleSchema } },
} as const;

export const schedulePipelineParamsSchema = {
  type: 'object',
  required: ['pipeline'],
  properties: { pipeline: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const removeScheduleResponseSchema = {
  type: 'object',
  required: ['pipeline', 'removed'],
  properties: { pipeline: { type: 'string' }, removed: { type: 'boolean' } },
} as const;

export interface ListTriggersQuerystring {
  model?: string;
  limit?: number;
}

export const listTriggersQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
  },
} as const;

export const listTriggersResponseSchema = {
  type: 'object',
  required: ['triggers'],
  properties: {
    triggers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'model', 'version', 'decision', 'reason', 'createdAt'],
        properties: {
          eventId: { type: 'integer', description: 'the serving.drift run event handled' },
          model: { type: 'string' },
          version: { type: 'integer' },
          parentRunId: nullableString,
          pipeline: nullableString,
          decision: { type: 'string', enum: ['started', 'skipped', 'failed'] },
          reason: { type: 'string' },
          runId: { ...nullableString, description: 'the retraining run started' },
          createdAt: { type: 'integer' },
          run: {
            type: ['object', 'null'],
            description: 'the retraining run: status, gate verdicts, the version it registered',
            properties: {
              id: { type: 'string' },
              status: { type: 'string' },
              gates: {
                type: 'object',
                additionalProperties: { type: 'object', properties: { passed: { type: 'boolean' } } },
              },
              version: { type: ['integer', 'null'] },
            },
          },
          chain: {
            type: 'array',
            description:
              'the run events of the chain, oldest first: retrain.started, retrain.deployed, serving.deploy.started / promoted / rolled-back',
            items: {
              type: 'object',
              properties: { type: { type: 'string' }, ts: { type: 'integer' }, payload: {} },
            },
          },
        },
      },
    },
  },
} as const;

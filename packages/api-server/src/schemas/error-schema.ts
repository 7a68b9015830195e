/** JSON Schema of the one error body every failing route answers with. */
export const errorSchema = {
  $id: 'ApiError',
  type: 'object',
  description: 'Every error response: a code from docs/errors.md, a message, and located details.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'MYELIN_ERR_… code (docs/errors.md)' },
        message: { type: 'string' },
        details: {
          type: 'array',
          description: 'One entry per located problem, e.g. every problem of an invalid pipeline.',
          items: {
            type: 'object',
            required: ['message'],
            properties: {
              message: { type: 'string', description: 'As the CLI prints it: file:line:column path: what' },
              code: { type: 'string' },
              line: { type: 'integer' },
              column: { type: 'integer' },
              path: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

/** `$ref` to {@link errorSchema}, for route response maps. */
export const errorRef = { $ref: 'ApiError#' } as const;

/** The error responses a route may give, by status. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(statuses.map((s) => [s, errorRef]));
}

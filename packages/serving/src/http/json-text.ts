/** Content-Type Fastify gives the JSON it serializes itself. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** An answer already written as JSON text (sent as is, with the JSON Content-Type). */
export class JsonText {
  constructor(readonly text: string) {}
}

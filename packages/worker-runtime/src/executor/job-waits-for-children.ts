/**
 * Thrown by a processor whose job has moved itself to wait for its child jobs (a tune train job
 * waiting for its trials): the worker executor frees the job's slot at once, and the job comes back
 * when its last child finished. Nothing to catch: the executor handles it.
 */
export class JobWaitsForChildren extends Error {
  override readonly name = 'JobWaitsForChildren';
  constructor() {
    super('the job waits for its child jobs');
  }
}

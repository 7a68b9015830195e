/**
 * Thrown by a processor whose job asked to be handed back (the worker shuts down, or lost the
 * job's lock): the worker executor puts the job back in its queue without using an attempt, for
 * another worker to resume from its last checkpoint. Nothing to catch: the executor handles it.
 */
export class JobHandedBack extends Error {
  override readonly name = 'JobHandedBack';
  constructor() {
    super('the job goes back to its queue for another worker (no attempt used)');
  }
}

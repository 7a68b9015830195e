import { Queue, type ConnectionOptions } from 'bullmq';
import type { QueueName } from '../plan/compile-plan.js';
import { bullmqQueueName } from '../queue/queue-names.js';

/**
 * The step queues (cpu, gpu) of one key prefix, as a submitting or watching process reads them:
 * each opened on first use (a process that never touches the gpu queue holds no connection for
 * it), connection errors left to the calls that fail, all closed together.
 *
 * @example const queues = new StepQueues(() => ({ url }), 'myelin'); await Job.fromId(queues.of('cpu'), id);
 */
export class StepQueues {
  readonly #queues = new Map<QueueName, Queue>();
  readonly #connection: () => ConnectionOptions;
  readonly #prefix: string;

  constructor(connection: () => ConnectionOptions, prefix: string) {
    this.#connection = connection;
    this.#prefix = prefix;
  }

  of(q: QueueName): Queue {
    let queue = this.#queues.get(q);
    if (!queue) {
      queue = new Queue(bullmqQueueName(q), { connection: this.#connection(), prefix: this.#prefix });
      queue.on('error', () => undefined); // reconnects on its own; the calls say what failed
      this.#queues.set(q, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
  }
}

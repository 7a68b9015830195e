import type { FlowJob } from 'bullmq';

/**
 * Gathers the run flows submitted in the same turn of the event loop into one call of `addBulk`
 * (BullMQ's `FlowProducer.addBulk`: every flow in one Redis transaction, one round trip), so runs
 * submitted together do not each wait on their own `add`. A failed call fails every submission
 * it carried, with its error (the transaction put none of them on the queue).
 *
 * @example
 * const batch = new FlowBatch((flows) => producer.addBulk(flows));
 * await batch.add(buildRunFlow({ … }));
 */
export class FlowBatch {
  private pending: { flow: FlowJob; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly addBulk: (flows: FlowJob[]) => Promise<unknown>) {}

  /** Resolves once `flow` is in Redis (with the others of its turn). */
  add(flow: FlowJob): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ flow, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.addBulk(batch.map((p) => p.flow));
      for (const p of batch) p.resolve();
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}

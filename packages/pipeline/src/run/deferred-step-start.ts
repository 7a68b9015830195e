/**
 * A step's start record, written only once the step has run for `afterMs`: a step that ends sooner
 * (a no-op, a cache hit, a quick check) records its start in its outcome's write instead
 * (`finishStep`'s `startedAt`), one metadata write instead of two. A step still running after
 * `afterMs` gets its start written on its own, as before: the reconciler's lease check and the
 * heartbeats (which renew the lease of a `running` step) see it from then on.
 *
 * @example
 * const start = new DeferredStepStart(() => meta.startStep(runId, name), 200);
 * const startedAt = await start.settle(); // undefined: written alone; a number: fold it in
 * await meta.finishStep(runId, name, { status: 'succeeded', ...(startedAt === undefined ? {} : { startedAt }) });
 */
export class DeferredStepStart {
  /** When the step started (ms since the epoch). */
  readonly startedAt = Date.now();
  readonly #write: () => Promise<unknown>;
  #timer: NodeJS.Timeout | undefined;
  #written: Promise<unknown> | undefined;
  #folded = false;

  constructor(write: () => Promise<unknown>, afterMs: number) {
    this.#write = write;
    this.#timer = setTimeout(() => this.#begin(), afterMs);
  }

  #begin(): void {
    this.#timer = undefined;
    const written = this.#write();
    // awaited by `settle`; this only keeps a rejection from counting as unhandled meanwhile
    written.catch(() => undefined);
    this.#written = written;
  }

  /**
   * At the step's outcome: the start time to record with it when the start was not written (it
   * never will be: the timer is stopped), else undefined once the start's own write has committed
   * (rejecting with its error when it failed). Asked again, it answers the same.
   */
  async settle(): Promise<number | undefined> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#folded = true;
    }
    if (this.#folded) return this.startedAt;
    await this.#written;
    return undefined;
  }
}

/**
 * The queue under a group commit: items submitted close together (in one turn of the event loop, or
 * while the previous group commits) form one group of at most `maxBatch`, handed to `commit`; one
 * group is in flight at a time, so groups commit in submission order. `commit` settles each item
 * of its group itself (it knows how a group's failure splits among its items).
 *
 * @example const queue = new GroupCommit<Pending>((group) => insertAll(group), 256); queue.push(p);
 */
export class GroupCommit<Item> {
  readonly #commit: (group: Item[]) => Promise<void>;
  readonly #maxBatch: number;
  #queue: Item[] = [];
  #inFlight: Promise<void> | null = null;
  #scheduled = false;

  constructor(commit: (group: Item[]) => Promise<void>, maxBatch: number) {
    this.#commit = commit;
    this.#maxBatch = Math.max(1, Math.floor(maxBatch));
  }

  /** Queues an item for the next group. */
  push(item: Item): void {
    this.#queue.push(item);
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    // the end of this turn of the event loop: the items pushed by every callback of the turn (the
    // replies of the jobs a worker runs at once, the follow loops of many runs) share the group,
    // and the ones pushed while it commits form the next
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#inFlight) this.#start();
    });
  }

  /** Resolves once every item pushed so far has been committed (or failed). */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#inFlight) {
      if (!this.#inFlight) this.#start();
      await this.#inFlight;
    }
  }

  /** Whether items are queued or committing. */
  get busy(): boolean {
    return this.#queue.length > 0 || this.#inFlight !== null;
  }

  #start(): void {
    const group = this.#queue.splice(0, this.#maxBatch);
    if (group.length === 0) return;
    this.#inFlight = this.#commit(group).finally(() => {
      this.#inFlight = null;
      if (this.#queue.length > 0) this.#start();
    });
  }
}

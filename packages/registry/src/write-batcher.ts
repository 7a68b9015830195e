import { GroupCommit } from './group-commit.js';

/** Runs `fn` in one database transaction (retrying transient failures) and returns its result. */
export type Transact<Tx> = <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>;

interface Pending<Tx> {
  op: (tx: Tx) => Promise<unknown>;
  alone: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How a `WriteBatcher` groups writes. */
export interface WriteBatcherOptions {
  /** The most writes one transaction carries. @defaultValue 256 */
  maxBatch?: number;
}

/**
 * Group commit: writes submitted close together (in one turn of the event loop, or while the
 * previous group is committing) run one after another, in submission order, in one transaction,
 * and each caller's promise settles once that transaction has committed (or failed). One group is
 * in flight at a time, so writes commit in the order they were submitted (a run's events keep
 * their order) and nothing a caller was told is written is only queued.
 *
 * When one write of a group throws (a missing run, a unique violation), the group is rolled back
 * and every write of it runs again alone (`alone`: its own transaction and retry policy), so a bad
 * write fails only its own caller. When the transaction itself fails (begin or commit, the
 * connection lost), every caller of the group gets that error.
 */
export class WriteBatcher<Tx> {
  readonly #transact: Transact<Tx>;
  readonly #groups: GroupCommit<Pending<Tx>>;

  constructor(transact: Transact<Tx>, options: WriteBatcherOptions = {}) {
    this.#transact = transact;
    this.#groups = new GroupCommit((group) => this.#commit(group), options.maxBatch ?? 256);
  }

  /**
   * Queues a write: `op` runs inside the group's transaction; `alone` runs the same write in a
   * transaction of its own (used when another write of the group failed, or the group is one write).
   */
  submit<T>(op: (tx: Tx) => Promise<T>, alone: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#groups.push({ op, alone, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** Resolves once every write submitted so far has settled (committed or failed). */
  flush(): Promise<void> {
    return this.#groups.flush();
  }

  /** Whether writes are queued or committing. */
  get busy(): boolean {
    return this.#groups.busy;
  }

  async #commit(group: Pending<Tx>[]): Promise<void> {
    if (group.length === 1) {
      await settle(group[0]!, group[0]!.alone);
      return;
    }
    let failedOp: { error: unknown } | undefined;
    let results: unknown[];
    try {
      results = await this.#transact(async (tx) => {
        failedOp = undefined;
        const out: unknown[] = [];
        for (const p of group) {
          try {
            out.push(await p.op(tx));
          } catch (e) {
            failedOp = { error: e };
            throw e;
          }
        }
        return out;
      });
    } catch (e) {
      if (failedOp && failedOp.error === e) {
        // one write failed: roll back, then each write alone so the failure stays its own
        for (const p of group) await settle(p, p.alone);
      } else {
        for (const p of group) p.reject(e);
      }
      return;
    }
    group.forEach((p, i) => p.resolve(results[i]));
  }
}

async function settle<Tx>(p: Pending<Tx>, run: () => Promise<unknown>): Promise<void> {
  try {
    p.resolve(await run());
  } catch (e) {
    p.reject(e);
  }
}

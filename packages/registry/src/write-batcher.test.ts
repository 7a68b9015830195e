import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

/** A toy transactional log: a transaction sees its own appends, and they land only on commit. */
class Log {
  committed: string[] = [];
  transactions = 0;
  failNextCommit: Error | null = null;

  transact = async <R>(fn: (tx: string[]) => Promise<R>): Promise<R> => {
    this.transactions++;
    const tx: string[] = [];
    const result = await fn(tx);
    await Promise.resolve();
    if (this.failNextCommit) {
      const e = this.failNextCommit;
      this.failNextCommit = null;
      throw e;
    }
    this.committed.push(...tx);
    return result;
  };

  /** A write of `item`, as a part of a group and alone. */
  write(batcher: WriteBatcher<string[]>, item: string, bad = false): Promise<string> {
    const op = async (tx: string[]) => {
      if (bad) throw new Error(`bad write ${item}`);
      tx.push(item);
      return item;
    };
    return batcher.submit(op, () => this.transact(op));
  }
}

describe('WriteBatcher', () => {
  it('commits writes issued together in one transaction, in the order they were issued', async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact);
    const items = Array.from({ length: 20 }, (_, i) => `e${i}`);
    const results = await Promise.all(items.map((i) => log.write(batcher, i)));
    expect(results).toEqual(items);
    expect(log.committed).toEqual(items);
    expect(log.transactions).toBe(1);
  });

  it('keeps the order across groups: writes issued while a group commits go in the next one', async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact, { maxBatch: 3 });
    const all: Promise<string>[] = [];
    for (let i = 0; i < 10; i++) {
      all.push(log.write(batcher, `e${i}`));
      if (i % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(log.committed).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
    expect(log.transactions).toBeGreaterThan(1);
  });

  it("settles a write's promise only once its transaction committed", async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact);
    const seen: string[][] = [];
    await Promise.all([
      log.write(batcher, 'a').then(() => seen.push([...log.committed])),
      log.write(batcher, 'b').then(() => seen.push([...log.committed])),
    ]);
    expect(seen).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('flush waits for every write issued so far', async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact);
    void log.write(batcher, 'a');
    void log.write(batcher, 'b');
    await batcher.flush();
    expect(log.committed).toEqual(['a', 'b']);
    void log.write(batcher, 'c');
    expect(batcher.busy).toBe(true);
    await batcher.flush();
    expect(log.committed).toEqual(['a', 'b', 'c']);
    expect(batcher.busy).toBe(false);
  });

  it('a failed commit rejects every write of the group with its error', async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact);
    const lost = new Error('connection lost during commit');
    log.failNextCommit = lost;
    const results = await Promise.allSettled(['a', 'b', 'c'].map((i) => log.write(batcher, i)));
    expect(results).toEqual([
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
    ]);
    expect(log.committed).toEqual([]);
    await log.write(batcher, 'd');
    expect(log.committed).toEqual(['d']);
  });

  it('a write that throws fails only its own caller: the others commit alone, in order', async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact);
    const results = await Promise.allSettled([
      log.write(batcher, 'a'),
      log.write(batcher, 'b', true),
      log.write(batcher, 'c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad write b'));
    expect(log.committed).toEqual(['a', 'c']);
  });

  it('loses no write on close: flush before closing commits everything queued', async () => {
    const log = new Log();
    const batcher = new WriteBatcher(log.transact, { maxBatch: 7 });
    const items = Array.from({ length: 50 }, (_, i) => `e${i}`);
    for (const i of items) void log.write(batcher, i);
    await batcher.flush();
    expect(log.committed).toEqual(items);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../util/fake-clock.js';
import { resolveBatching } from './batching-options.js';
import { DynamicBatcher } from './dynamic-batcher.js';

/** A "model" that doubles its input (width 2 → outputs 2) and records each call's row count. */
function doubling(opts = {}) {
  const calls: number[] = [];
  const clock = new FakeClock();
  const b = new DynamicBatcher(
    (x, n) => {
      calls.push(n);
      return x.map((v) => v * 2);
    },
    2,
    2,
    resolveBatching({ maxBatchSize: 4, batchTimeoutMs: 5, maxQueuedRows: 8, ...opts }),
    clock,
  );
  return { b, calls, clock };
}

const rows = (...v: number[]) => Float32Array.from(v);

describe('DynamicBatcher', () => {
  it('merges requests that arrive within the timeout into one call and splits the results back', async () => {
    const { b, calls, clock } = doubling();
    const p1 = b.submit(rows(1, 1), 1);
    const p2 = b.submit(rows(2, 2, 3, 3), 2);
    expect(calls).toEqual([]);
    clock.advance(4);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual([3]);
    expect(Array.from(await p1)).toEqual([2, 2]);
    expect(Array.from(await p2)).toEqual([4, 4, 6, 6]);
  });

  it('runs a full batch at once without waiting for the timer', async () => {
    const { b, calls } = doubling();
    const ps = [1, 2, 3, 4].map((v) => b.submit(rows(v, v), 1));
    expect(calls).toEqual([4]);
    expect((await Promise.all(ps)).map((y) => y[0])).toEqual([2, 4, 6, 8]);
  });

  it('never splits one request and never passes maxBatchSize by merging', async () => {
    const { b, calls, clock } = doubling();
    const a = b.submit(rows(1, 1, 1, 1, 1, 1), 3);
    const c = b.submit(rows(2, 2, 2, 2), 2); // 3 + 2 > 4: full, first call takes 3 rows
    clock.advance(5);
    expect(calls).toEqual([3, 2]);
    expect((await a).length).toBe(6);
    expect(Array.from(await c)).toEqual([4, 4, 4, 4]);
  });

  it('refuses work past maxQueuedRows with OVERLOADED instead of growing', async () => {
    const { b, clock } = doubling({ maxBatchSize: 100 });
    const ok = b.submit(new Float32Array(16), 8);
    await expect(b.submit(rows(1, 1), 1)).rejects.toMatchObject({ code: 'MYELIN_ERR_SERVING_OVERLOADED' });
    clock.advance(5);
    expect((await ok).length).toBe(16);
    expect(b.queuedRows).toBe(0);
  });

  it('drops a request still queued after its timeout with TIMEOUT', async () => {
    const { b, calls, clock } = doubling({ batchTimeoutMs: 50 });
    const p = b.submit(rows(1, 1), 1, 10);
    clock.advance(10);
    await expect(p).rejects.toMatchObject({ code: 'MYELIN_ERR_SERVING_TIMEOUT' });
    clock.advance(100);
    expect(calls).toEqual([]);
  });

  it('drops each queued request at its own deadline, a later shorter one first, and never one already run', async () => {
    const { b, calls, clock } = doubling({ batchTimeoutMs: 50 });
    const settled: string[] = [];
    const track = (name: string, p: Promise<Float32Array>) =>
      p.then(
        () => settled.push(`${name} ok`),
        (e: { code?: string }) => settled.push(`${name} ${e.code}`),
      );
    const long = track('long', b.submit(rows(1, 1), 1, 30));
    clock.advance(5);
    const short = track('short', b.submit(rows(2, 2), 1, 10)); // deadline 15, before long's 30
    clock.advance(10);
    await short;
    expect(settled).toEqual(['short MYELIN_ERR_SERVING_TIMEOUT']);
    clock.advance(14);
    expect(b.queuedRows).toBe(1);
    clock.advance(1);
    await long;
    expect(settled).toEqual(['short MYELIN_ERR_SERVING_TIMEOUT', 'long MYELIN_ERR_SERVING_TIMEOUT']);
    const ran = track('ran', b.submit(rows(3, 3), 1, 60));
    clock.advance(50); // its batch timer: it runs
    await ran;
    clock.advance(100); // past its deadline: nothing left to drop
    expect(settled.at(-1)).toBe('ran ok');
    expect(calls).toEqual([1]);
  });

  it('with batching off runs every request alone, at once', async () => {
    const { b, calls } = doubling({ enabled: false });
    const ps = [b.submit(rows(1, 1), 1), b.submit(rows(2, 2), 1)];
    expect(calls).toEqual([1, 1]);
    expect((await Promise.all(ps)).map((y) => y[0])).toEqual([2, 4]);
  });

  it('rejects every request of a batch whose predict throws, and keeps working', async () => {
    let fail = true;
    const clock = new FakeClock();
    const b = new DynamicBatcher(
      (x) => {
        if (fail) throw new Error('boom');
        return x;
      },
      1,
      1,
      resolveBatching({ maxBatchSize: 2, batchTimeoutMs: 1 }),
      clock,
    );
    const ps = [b.submit(rows(1), 1), b.submit(rows(2), 1)];
    await expect(Promise.all(ps)).rejects.toThrow('boom');
    fail = false;
    const p = b.submit(rows(3), 1);
    clock.advance(1);
    expect(Array.from(await p)).toEqual([3]);
    await b.idle();
  });

  it('reports each batch', async () => {
    const { b, clock } = doubling();
    const seen: number[] = [];
    b.onBatch = (r) => seen.push(r.rows * 10 + r.requests);
    const p = Promise.all([b.submit(rows(1, 1), 1), b.submit(rows(1, 1), 1)]);
    clock.advance(5);
    await p;
    expect(seen).toEqual([22]);
  });
});

describe('DynamicBatcher with batchTimeoutMs 0', () => {
  it('batches what arrives in one event-loop turn, without a timer', async () => {
    const calls: number[] = [];
    const b = new DynamicBatcher(
      (x, n) => {
        calls.push(n);
        return x;
      },
      1,
      1,
      resolveBatching({ maxBatchSize: 8, batchTimeoutMs: 0 }),
      new FakeClock(),
    );
    const ys = await Promise.all([1, 2, 3].map((v) => b.submit(Float32Array.of(v), 1)));
    expect(calls).toEqual([3]);
    expect(ys.map((y) => y[0])).toEqual([1, 2, 3]);
  });
  it('with a model running off the main thread, queues what arrives meanwhile for the next call', async () => {
    const calls: number[] = [];
    const pending: (() => void)[] = [];
    const clock = new FakeClock();
    const b = new DynamicBatcher(
      (x, n) =>
        new Promise<Float32Array>((resolve) => {
          calls.push(n);
          pending.push(() => resolve(x.map((v) => v * 2)));
        }),
      2,
      2,
      resolveBatching({ maxBatchSize: 2, batchTimeoutMs: 5, maxQueuedRows: 16 }),
      clock,
    );
    const first = [1, 2].map((v) => b.submit(rows(v, v), 1)); // full: runs at once
    const later = [3, 4, 5].map((v) => b.submit(rows(v, v), 1)); // wait while it runs
    clock.advance(10);
    expect(calls).toEqual([2]);
    let idle = false;
    void b.idle().then(() => (idle = true));
    pending.shift()!();
    expect((await Promise.all(first)).map((y) => y[0])).toEqual([2, 4]);
    expect(calls).toEqual([2, 2]); // the next full batch starts when the first call is done
    pending.shift()!();
    expect((await Promise.all(later.slice(0, 2))).map((y) => y[0])).toEqual([6, 8]);
    clock.advance(5); // the partial remainder on its timer
    expect(calls).toEqual([2, 2, 1]);
    expect(idle).toBe(false);
    pending.shift()!();
    expect((await later[2]!)[0]).toBe(10);
    await b.idle();
    expect(idle).toBe(true);
  });
});

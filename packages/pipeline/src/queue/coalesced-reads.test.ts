import { describe, expect, it } from 'vitest';
import { CoalescedReads } from './coalesced-reads.js';

describe('CoalescedReads', () => {
  it('answers the asks of one turn with one read, each with its own answer', async () => {
    const reads: number[][] = [];
    const c = new CoalescedReads(async (qs: number[]) => {
      reads.push(qs);
      return qs.map((q) => q * 10);
    }, 100);
    expect(await Promise.all([c.ask(1), c.ask(2), c.ask(3)])).toEqual([10, 20, 30]);
    expect(reads).toEqual([[1, 2, 3]]);
  });

  it('groups the asks made while a read is in flight into the next read, at most maxGroup each', async () => {
    const reads: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new CoalescedReads(async (qs: number[]) => {
      reads.push(qs);
      if (reads.length === 1) await gate;
      return qs;
    }, 2);
    const first = c.ask(1);
    await new Promise((r) => setImmediate(r)); // the first read is in flight
    const later = [c.ask(2), c.ask(3), c.ask(4)];
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([[1], [2, 3], [4]]);
  });

  it('fails every ask of a group whose read throws, and reads the next group anyway', async () => {
    let calls = 0;
    const c = new CoalescedReads(async (qs: string[]) => {
      calls++;
      if (calls === 1) throw new Error('database away');
      return qs;
    }, 10);
    const failed = await Promise.allSettled([c.ask('a'), c.ask('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await c.ask('c')).toBe('c');
  });
});

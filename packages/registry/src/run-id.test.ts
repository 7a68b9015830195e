import { describe, expect, it } from 'vitest';
import { newRunId } from './run-id.js';

describe('newRunId', () => {
  it('makes unique ids that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newRunId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    expect(newRunId(1_700_000_000_001) > ids[999]!).toBe(true);
    expect(ids[0]).toMatch(/^r-[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('encodes the time first and stays increasing when the clock steps back', () => {
    const early = newRunId(2_000_000_000_000);
    const late = newRunId(2_000_000_086_400);
    expect(late > early).toBe(true);
    expect(late.slice(0, 12)).not.toBe(early.slice(0, 12));
    expect(newRunId(1_000) > late).toBe(true);
  });
});

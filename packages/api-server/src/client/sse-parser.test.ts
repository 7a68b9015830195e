import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser.js';

describe('createSseParser', () => {
  it('returns whole messages across chunk boundaries, skipping comments and retry lines', () => {
    const parse = createSseParser();
    expect(parse(': connected\nretry: 2000\n\nid: 1\nevent: st')).toEqual([]);
    expect(parse('ep\ndata: {"a":1}\n\n: ping\n\nevent: end\ndata: x\r\ndata: y\r\n\r\n')).toEqual([
      { id: '1', event: 'step', data: '{"a":1}' },
      { event: 'end', data: 'x\ny' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('dispatches an event on a blank line with its type, data and id', () => {
    const p = new SseParser();
    expect(p.push('id: 3\nevent: step\ndata: {"step":"ingest"}\n\n')).toEqual([
      { event: 'step', data: '{"step":"ingest"}', id: '3' },
    ]);
  });

  it('joins data lines, defaults the type to message and skips comments', () => {
    const p = new SseParser();
    expect(p.push(': ping\n\ndata: a\ndata: b\n\n')).toEqual([
      { event: 'message', data: 'a\nb', id: undefined },
    ]);
  });

  it('handles chunks split anywhere, CRLF split across chunks included', () => {
    const text = 'id: 1\r\nevent: epoch\r\ndata: {"epoch":1}\r\n\r\nid: 2\r\ndata: x\r\n\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(got.map((m) => [m.event, m.data, m.id])).toEqual([
        ['epoch', '{"epoch":1}', '1'],
        ['message', 'x', '2'],
      ]);
    }
  });

  it('keeps the last id for resuming, also across events without one', () => {
    const p = new SseParser();
    p.push('id: 9\ndata: a\n\n');
    expect(p.push('data: b\n\n')[0]?.id).toBe('9');
    expect(p.lastEventId).toBe('9');
  });

  it('dispatches a typed event without data, not an empty one, and reads retry', () => {
    const p = new SseParser();
    expect(p.push('id: 4\n\n')).toEqual([]);
    expect(p.push('event: end\n\n')).toEqual([{ event: 'end', data: '', id: '4' }]);
    expect(p.push('retry: 1500\nevent: end\ndata: {}\n\n')).toEqual([
      { event: 'end', data: '{}', id: '4', retry: 1500 },
    ]);
  });
});

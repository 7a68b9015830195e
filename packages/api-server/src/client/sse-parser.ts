/** One server-sent event as received. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser: feed it chunks, get whole messages back. Comments
 * (`: ping`) and `retry:` lines are skipped; multi-line `data:` is joined with newlines.
 *
 * @example
 * const parse = createSseParser();
 * parse('id: 3\nevent: step\ndata: {"a":1}\n\n'); // [{ id: '3', event: 'step', data: '{"a":1}' }]
 */
export function createSseParser(): (chunk: string) => SseMessage[] {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    const out: SseMessage[] = [];
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0 || id !== undefined)
        out.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') });
    }
    return out;
  };
}

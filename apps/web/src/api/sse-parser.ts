/** One dispatched server-sent event. */
export interface SseMessage {
  /** The `event:` field; `message` when none was sent. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen on the stream so far (what `Last-Event-ID` resumes from). */
  id: string | undefined;
  /** The `retry:` field in milliseconds, when this event carried one. */
  retry?: number;
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2): feed it chunks as
 * they arrive, in any split (even inside a line or a CRLF), and it returns the events completed by
 * each chunk. Comments (`: ping`) are skipped. Unlike EventSource, an event with a type but no
 * `data:` line is dispatched too (with empty data), so a bare `event: end` still ends a stream.
 *
 * @example
 * const p = new SseParser();
 * p.push('id: 7\nevent: step\ndata: {"a"');
 * p.push(':1}\n\n'); // [{ event: 'step', data: '{"a":1}', id: '7' }]
 */
export class SseParser {
  private buffer = '';
  private pendingCr = false;
  private event = '';
  private data: string[] = [];
  private hasData = false;
  private retry: number | undefined;
  private lastId: string | undefined;

  push(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let text = chunk;
    // a CR at the end of the previous chunk may be the first half of a CRLF
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i), out);
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The id to resume from after a disconnect. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.hasData || this.event !== '') {
        out.push({
          event: this.event || 'message',
          data: this.data.join('\n'),
          id: this.lastId,
          ...(this.retry !== undefined ? { retry: this.retry } : {}),
        });
      }
      this.event = '';
      this.data = [];
      this.hasData = false;
      this.retry = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }
}

import { authHeaders } from './api-client.js';
import { SseParser } from './sse-parser.js';
import { toRunEvent, type StreamedRunEvent } from './to-run-event.js';

export interface RunEventsHandlers {
  onEvent(e: StreamedRunEvent): void;
  /** The stream said `end`: the run is over and every event was sent. */
  onEnd?(): void;
  /** The stream dropped or was refused; it retries by itself unless `status` is 4xx. */
  onError?(message: string, status?: number): void;
}

/**
 * Follows `GET /api/runs/:id/events` (server-sent events) until `end`. It reads the stream with
 * fetch rather than EventSource so the bearer token can be sent, and resumes after a dropped
 * connection from the last event id (`Last-Event-ID`). Returns a function that stops it.
 */
export function openRunEvents(runId: string, handlers: RunEventsHandlers): () => void {
  const abort = new AbortController();
  let lastId: string | undefined;
  let ended = false;
  let retryMs = 1000;

  const connect = async (): Promise<void> => {
    while (!ended && !abort.signal.aborted) {
      const parser = new SseParser();
      try {
        const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/events`, {
          headers: {
            accept: 'text/event-stream',
            ...authHeaders(),
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: abort.signal,
        });
        if (!res.ok || !res.body) {
          handlers.onError?.(`event stream: HTTP ${res.status}`, res.status);
          if (res.status >= 400 && res.status < 500) return;
        } else {
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const m of parser.push(value)) {
              if (m.retry !== undefined) retryMs = m.retry;
              const e = toRunEvent(m);
              if (m.id !== undefined) lastId = m.id;
              if (!e) continue;
              if (e.event.type === 'end') {
                ended = true;
                handlers.onEnd?.();
                void reader.cancel().catch(() => undefined);
                return;
              }
              handlers.onEvent(e);
            }
          }
        }
      } catch (e) {
        if (abort.signal.aborted) return;
        handlers.onError?.(e instanceof Error ? e.message : String(e));
      }
      if (ended || abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void connect();
  return () => abort.abort();
}

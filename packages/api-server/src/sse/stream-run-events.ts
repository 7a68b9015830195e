import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MetadataStore, RunEvent, RunStatus } from '@myelin/registry';

/** What {@link streamRunEvents} needs. */
export interface RunEventStreamOptions {
  meta: MetadataStore;
  runId: string;
  /** Send only events with a larger id (Last-Event-ID). */
  afterId: number;
  /** Poll interval in ms. */
  pollMs: number;
  /** Interval of `: ping` comments in ms. */
  heartbeatMs: number;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
}

const FINAL: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const PAGE = 1000;

/** One server-sent event in wire format. */
export function sseMessage(event: RunEvent): string {
  const data = { id: event.id, runId: event.runId, type: event.type, ts: event.ts, payload: event.payload };
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Streams a run's stored events to `res` as server-sent events (`id:` = the event id, `event:` =
 * its type: step, epoch, log, backend), polling the metadata store, so it works on every stack
 * (workers on other machines write the same table). Resumes after `afterId`. When the run is in a
 * final state and every event was sent, sends `event: end` with the final status and ends. Sends
 * `: ping` comments as heartbeats. Returns when the stream ended or `signal` aborted.
 */
export async function streamRunEvents(res: ServerResponse, opts: RunEventStreamOptions): Promise<void> {
  const { meta, runId, signal } = opts;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\nretry: 2000\n\n');
  const ping = setInterval(() => {
    if (!res.destroyed) res.write(': ping\n\n');
  }, opts.heartbeatMs);
  ping.unref();
  let last = opts.afterId;
  let finalSeen = false;
  try {
    while (!signal.aborted && !res.destroyed) {
      const events = await meta.listEvents({ runId, afterId: last, limit: PAGE });
      for (const e of events) {
        res.write(sseMessage(e));
        last = e.id;
      }
      if (events.length === PAGE) continue;
      if (finalSeen && events.length === 0) {
        const run = await meta.getRun(runId);
        const exitCode = run?.summary?.['exitCode'];
        const end = {
          runId,
          status: run?.status ?? 'failed',
          exitCode: typeof exitCode === 'number' ? exitCode : null,
          error: run?.error ?? null,
          lastEventId: last,
        };
        res.write(`event: end\ndata: ${JSON.stringify(end)}\n\n`);
        break;
      }
      const run = await meta.getRun(runId);
      if (!run || FINAL.includes(run.status)) {
        // one more poll: events written before the final status are then all visible
        finalSeen = true;
        continue;
      }
      await sleep(opts.pollMs, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    clearInterval(ping);
    if (!res.destroyed) res.end();
  }
}

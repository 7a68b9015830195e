import type { MetadataStore, RunEvent, RunStatus } from '@myelin/registry';
import { CoalescedReads } from './coalesced-reads.js';

/** The most runs one read covers (the store's limit for `cursors` and `ids`). */
const MAX_RUNS = 500;
/** The most events one read returns; a full page means there may be more. */
const EVENT_PAGE = 5000;

/** A run's events after the id its follower saw last; `more`: ask again, the page was full. */
export interface FollowedEvents {
  events: RunEvent[];
  more: boolean;
}

/**
 * The reads of a process that follows many queued runs (the API server, `submitRun` called many
 * times): each run's follow loop asks for its new events and, now and then, its run record, and
 * the asks of every loop made together become one query (`listEvents({ cursors })`,
 * `runStatuses`) instead of one query per run and poll. The answers are those of the per-run
 * reads (`listEvents({ runId, afterId })`, `getRun`'s status).
 */
export class RunFollowReads {
  readonly #events: CoalescedReads<{ runId: string; afterId: number }, FollowedEvents>;
  readonly #statuses: CoalescedReads<string, RunStatus | null>;

  constructor(meta: MetadataStore) {
    this.#events = new CoalescedReads(async (cursors) => {
      const page = await meta.listEvents({ cursors, limit: EVENT_PAGE });
      const more = page.length === EVENT_PAGE;
      const byRun = new Map<string, RunEvent[]>();
      for (const e of page) {
        const list = byRun.get(e.runId);
        if (list) list.push(e);
        else byRun.set(e.runId, [e]);
      }
      return cursors.map((c) => ({
        events: (byRun.get(c.runId) ?? []).filter((e) => e.id > c.afterId),
        more,
      }));
    }, MAX_RUNS);
    this.#statuses = new CoalescedReads(async (ids) => {
      const statuses = await meta.runStatuses(ids);
      return ids.map((id) => statuses.get(id) ?? null);
    }, MAX_RUNS);
  }

  /** The run's events with an id above `afterId`, in id order. */
  events(runId: string, afterId: number): Promise<FollowedEvents> {
    return this.#events.ask({ runId, afterId });
  }

  /** The run's status, or null when there is no such run (the record is read once it ended). */
  status(runId: string): Promise<RunStatus | null> {
    return this.#statuses.ask(runId);
  }
}

const byStore = new WeakMap<MetadataStore, RunFollowReads>();

/** The one `RunFollowReads` of a metadata store in this process. */
export function runFollowReads(meta: MetadataStore): RunFollowReads {
  let reads = byStore.get(meta);
  if (!reads) {
    reads = new RunFollowReads(meta);
    byStore.set(meta, reads);
  }
  return reads;
}

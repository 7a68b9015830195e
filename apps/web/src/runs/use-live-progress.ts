import { useEffect, useRef, useState } from 'preact/hooks';
import type { RunRecord } from '../api/api-types.js';
import { openRunEvents } from '../api/open-run-events.js';
import { useAuth } from '../auth/auth-context.js';

/** What the list shows of an active run: its current step and training progress. */
export interface RunProgress {
  step?: string;
  epoch?: number;
  epochs?: number;
}

/** Browsers give a site about six connections: the list follows at most this many runs at once. */
const MAX_STREAMS = 3;

/**
 * Follows the event streams of the active (queued or running) runs in a list: the current step and
 * epoch of each, and `onEnded` when one finishes (the list then reloads).
 */
export function useLiveProgress(
  runs: readonly RunRecord[],
  onEnded: () => void,
): Record<string, RunProgress> {
  const { version } = useAuth();
  const [progress, setProgress] = useState<Record<string, RunProgress>>({});
  const streams = useRef(new Map<string, () => void>());
  const ended = useRef(onEnded);
  ended.current = onEnded;

  const active = runs
    .filter((r) => r.status === 'running' || r.status === 'queued')
    .slice(0, MAX_STREAMS)
    .map((r) => r.id);
  const key = active.join(',');

  useEffect(() => {
    const open = streams.current;
    for (const [id, close] of open) {
      if (!active.includes(id)) {
        close();
        open.delete(id);
      }
    }
    for (const id of active) {
      if (open.has(id)) continue;
      open.set(
        id,
        openRunEvents(id, {
          onEvent: ({ event }) => {
            if (event.type === 'step' && event.status === 'running') {
              setProgress((p) => ({ ...p, [id]: { step: event.step } }));
            } else if (event.type === 'epoch') {
              setProgress((p) => ({
                ...p,
                [id]: { step: event.step, epoch: event.epoch, epochs: event.epochs },
              }));
            }
          },
          onEnd: () => {
            open.delete(id);
            ended.current();
          },
        }),
      );
    }
    // `active` is read through `key`: the streams change only when the set of active runs does
  }, [key, version]);

  useEffect(
    () => () => {
      for (const close of streams.current.values()) close();
      streams.current.clear();
    },
    [],
  );
  return progress;
}

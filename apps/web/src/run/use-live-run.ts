import { useEffect, useRef, useState } from 'preact/hooks';
import { openRunEvents } from '../api/open-run-events.js';
import { useAuth } from '../auth/auth-context.js';
import { applyRunEvent, emptyLiveRun, type LiveRun } from './live-run.js';

/**
 * Follows a run's event stream from its first event: steps, epochs and logs as they come.
 * `onChange` is called (at most every 400 ms) when a step ends or the run ends, so the caller can
 * read the run record again for what events do not carry (outputs, metrics, gates, model).
 */
export function useLiveRun(
  runId: string,
  onChange: () => void,
): { live: LiveRun; streamError: string | undefined } {
  const { version } = useAuth();
  const [live, setLive] = useState<LiveRun>(emptyLiveRun);
  const [streamError, setStreamError] = useState<string | undefined>(undefined);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    setLive(emptyLiveRun());
    setStreamError(undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poke = () => {
      if (timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          changed.current();
        }, 400);
      }
    };
    // events arrive in bursts when a stream replays: fold them per animation frame
    let queue: Parameters<typeof applyRunEvent>[1][] = [];
    let frame: number | undefined;
    const flush = () => {
      frame = undefined;
      const batch = queue;
      queue = [];
      setLive((l) => batch.reduce(applyRunEvent, l));
    };
    const close = openRunEvents(runId, {
      onEvent: (e) => {
        queue.push(e);
        if (frame === undefined) frame = requestAnimationFrame(flush);
        if (e.event.type === 'step' && e.event.status !== 'running') poke();
        setStreamError(undefined);
      },
      onEnd: () => {
        queue.push({ id: undefined, event: { type: 'end' } });
        if (frame === undefined) frame = requestAnimationFrame(flush);
        poke();
      },
      onError: (m) => setStreamError(m),
    });
    return () => {
      close();
      if (timer !== undefined) clearTimeout(timer);
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [runId, version]);

  return { live, streamError };
}

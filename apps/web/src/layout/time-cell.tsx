import { formatDateTime, formatTime } from '../format/format-time.js';

/** A moment shown relative ("3 min ago") with the exact local time in its tooltip and markup. */
export function TimeCell({ at, now }: { at: number | null | undefined; now?: number }) {
  if (at === null || at === undefined) return <span class="muted">–</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {formatTime(at, now)}
    </time>
  );
}

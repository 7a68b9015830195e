const LABEL: Record<string, string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  pending: 'pending',
  skipped: 'skipped',
  cached: 'cached',
};

/** A run's or step's state as a coloured label (the colour is never the only sign: the word is there). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge status-${status}`} data-status={status}>
      {LABEL[status] ?? status}
    </span>
  );
}

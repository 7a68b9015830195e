import { useEffect, useState } from 'preact/hooks';

/** The current time, refreshed every `ms` while `active` (for live durations and "2 min ago"). */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms, active]);
  return now;
}

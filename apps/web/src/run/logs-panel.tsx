import { useEffect, useRef, useState } from 'preact/hooks';
import type { StepView } from './live-run.js';

/** Log lines per step, live; a step picker (buttons) and a panel that follows new lines at the bottom. */
export function LogsPanel({
  steps,
  logs,
  initial,
}: {
  steps: StepView[];
  logs: Record<string, string[]>;
  initial?: string;
}) {
  const withLogs = steps.filter((s) => (logs[s.name]?.length ?? 0) > 0 || s.status !== 'pending');
  const [step, setStep] = useState(
    initial ??
      withLogs.find((s) => s.status === 'running' || s.status === 'failed')?.name ??
      withLogs[0]?.name,
  );
  const pre = useRef<HTMLPreElement>(null);
  const lines = step ? (logs[step] ?? []) : [];
  useEffect(() => {
    const el = pre.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <section aria-label="Logs">
      <div class="segmented" role="group" aria-label="Step">
        {steps.map((s) => (
          <button type="button" key={s.name} aria-pressed={s.name === step} onClick={() => setStep(s.name)}>
            {s.name} <span class="muted">({logs[s.name]?.length ?? 0})</span>
          </button>
        ))}
      </div>
      <pre class="log" ref={pre} tabIndex={0} aria-label={`Log of ${step ?? 'no step'}`} aria-live="polite">
        {lines.length > 0 ? lines.join('\n') : 'No log lines for this step.'}
      </pre>
    </section>
  );
}

import { formatDuration } from '../format/format-duration.js';
import { StatusBadge } from '../layout/status-badge.js';
import type { StepView } from './live-run.js';

export interface StepGraphProps {
  steps: StepView[];
  selected: string | undefined;
  onSelect(step: string): void;
}

/**
 * The run's steps as a chain (ingest → … → register): state, duration and error of each. Each
 * step is a button (keyboard: Tab to it, Enter to show its details and logs).
 */
export function StepGraph({ steps, selected, onSelect }: StepGraphProps) {
  return (
    <ol class="step-graph" aria-label="Steps of the run, in order">
      {steps.map((s) => (
        <li key={s.name} class={`step step-${s.status}`} data-step={s.name} data-status={s.status}>
          <button
            type="button"
            aria-pressed={selected === s.name}
            onClick={() => onSelect(s.name)}
            title={s.error ? `${s.error.code} ${s.error.message}` : `${s.name}: ${s.status}`}
          >
            <span class="step-name">{s.name}</span>
            <StatusBadge status={s.status} />
            <span class="step-time">
              {s.durationMs !== null ? formatDuration(s.durationMs) : ' '}
              {s.attempt && s.attempt > 1 ? ` · attempt ${s.attempt}` : ''}
            </span>
          </button>
          {s.error ? (
            <p class="step-error" role="note">
              {s.error.message}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

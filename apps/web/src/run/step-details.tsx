import { formatDuration } from '../format/format-duration.js';
import { StatusBadge } from '../layout/status-badge.js';
import { routeHref } from '../routes/parse-route.js';
import type { StepView } from './live-run.js';

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The selected step: state, error with its code, outputs and its latest log lines. */
export function StepDetails({
  runId,
  step,
  outputs,
  logs,
}: {
  runId: string;
  step: StepView;
  outputs: Record<string, unknown> | null | undefined;
  logs: string[];
}) {
  const tail = logs.slice(-8);
  return (
    <section class="card step-details" aria-label={`Step ${step.name}`}>
      <h3>
        {step.name} <StatusBadge status={step.status} />{' '}
        <span class="muted">{step.durationMs !== null ? formatDuration(step.durationMs) : ''}</span>
      </h3>
      {step.error ? (
        <div class="notice error" role="alert">
          <code>{step.error.code}</code> {step.error.message}
        </div>
      ) : null}
      {outputs && Object.keys(outputs).length > 0 ? (
        <dl class="kv">
          {Object.entries(outputs).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <code>{show(v)}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {tail.length > 0 ? <pre class="log small">{tail.join('\n')}</pre> : <p class="muted">No log lines.</p>}
      <a href={routeHref({ page: 'run', id: runId, tab: 'logs', step: step.name })}>
        All logs of {step.name}
      </a>
    </section>
  );
}

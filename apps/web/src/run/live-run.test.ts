import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../api/api-types.js';
import type { StreamedRunEvent } from '../api/to-run-event.js';
import { applyRunEvent, emptyLiveRun, mergeEpochs, stepViews } from './live-run.js';

const ev = (event: StreamedRunEvent['event'], id = '1'): StreamedRunEvent => ({ id, event });

describe('applyRunEvent', () => {
  it('tracks steps, epochs, logs and the end', () => {
    let live = emptyLiveRun();
    live = applyRunEvent(live, ev({ type: 'step', step: 'train', status: 'running' }));
    live = applyRunEvent(live, ev({ type: 'log', step: 'train', message: 'backend cpu' }));
    live = applyRunEvent(
      live,
      ev({
        type: 'epoch',
        step: 'train',
        epoch: 1,
        epochs: 3,
        metrics: { loss: 1 },
        durationMs: 5,
        samplesPerSec: 100,
      }),
    );
    live = applyRunEvent(
      live,
      ev({
        type: 'epoch',
        step: 'train',
        epoch: 2,
        epochs: 3,
        metrics: { loss: 0.5 },
        durationMs: 5,
        samplesPerSec: 100,
      }),
    );
    live = applyRunEvent(
      live,
      ev({
        type: 'epoch',
        step: 'train',
        epoch: 2,
        epochs: 3,
        metrics: { loss: 0.4 },
        durationMs: 5,
        samplesPerSec: 100,
      }),
    );
    live = applyRunEvent(live, ev({ type: 'step', step: 'train', status: 'succeeded', durationMs: 900 }));
    live = applyRunEvent(live, ev({ type: 'end', status: 'succeeded' }));
    expect(live.steps.train).toEqual({ status: 'succeeded', durationMs: 900 });
    expect(live.epochs.map((e) => [e.epoch, e.metrics.loss])).toEqual([
      [1, 1],
      [2, 0.4],
    ]);
    expect(live.logs.train).toEqual(['backend cpu']);
    expect(live.ended?.status).toBe('succeeded');
  });

  it('merges epochs from the record and the stream without doubles', () => {
    const merged = mergeEpochs(
      [
        { step: 'train', epoch: 2, metrics: { loss: 2 } },
        { step: 'train', epoch: 1, metrics: { loss: 1 } },
      ],
      [{ step: 'train', epoch: 2, metrics: { loss: 3 }, epochs: 4 }],
    );
    expect(merged).toEqual([
      { step: 'train', epoch: 1, metrics: { loss: 1 } },
      { step: 'train', epoch: 2, metrics: { loss: 3 }, epochs: 4 },
    ]);
  });
});

describe('stepViews', () => {
  type StepFields = Pick<
    RunDetail['steps'][number],
    'name' | 'status' | 'startedAt' | 'finishedAt' | 'error'
  >;
  const run = (status: RunDetail['status'], steps: StepFields[]): RunDetail => ({
    id: 'r-1',
    pipeline: 'p',
    status,
    trigger: 'api',
    specHash: 'h',
    parentRunId: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    durationMs: null,
    error: null,
    model: null,
    steps: steps.map((s) => ({ ...s, attempt: 1, durationMs: null, outputs: null })),
    epochs: [],
    metrics: { test: {} },
    gates: {},
    comparison: null,
    manifest: null,
    backend: null,
    engine: null,
    exitCode: null,
    specText: '',
  });

  it('lists the plan in order, with live states over unfinished records', () => {
    const r = run('running', [
      { name: 'ingest', status: 'succeeded', startedAt: 0, finishedAt: 40, error: null },
      { name: 'validate', status: 'running', startedAt: 40, finishedAt: null, error: null },
    ]);
    let live = applyRunEvent(
      emptyLiveRun(),
      ev({ type: 'step', step: 'validate', status: 'succeeded', durationMs: 12 }),
    );
    live = applyRunEvent(live, ev({ type: 'step', step: 'preprocess', status: 'running' }));
    const views = stepViews(r, live, 100);
    expect(views.map((s) => [s.name, s.status])).toEqual([
      ['ingest', 'succeeded'],
      ['validate', 'succeeded'],
      ['preprocess', 'running'],
      ['train', 'pending'],
      ['evaluate', 'pending'],
      ['register', 'pending'],
    ]);
    expect(views[0]?.durationMs).toBe(40);
    expect(views[1]?.durationMs).toBe(12);
  });

  it('marks steps never reached as skipped once the run ended, and keeps step errors', () => {
    const r = run('failed', [
      { name: 'ingest', status: 'succeeded', startedAt: 0, finishedAt: 40, error: null },
      {
        name: 'validate',
        status: 'failed',
        startedAt: 40,
        finishedAt: 50,
        error: { code: 'MYELIN_ERR_VALIDATION_FAILED', message: 'data validation failed' },
      },
    ]);
    const views = stepViews(r, emptyLiveRun());
    expect(views[1]).toMatchObject({ status: 'failed', error: { message: 'data validation failed' } });
    expect(views[2]?.status).toBe('skipped');
  });
});

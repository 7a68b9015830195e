import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMyelinError, MyelinError } from '@myelin/errors';
import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import { parseSpec, type LoadedSpec } from '@myelin/spec';
import type { ExecutionRequest, ExecutionResult, Executor } from '../executor/executor.js';
import { compilePlan, type StepName } from '../plan/compile-plan.js';
import { codeVersion } from '../run/code-version.js';
import type { RunEvent, StepContext, StepOutputs } from '../run/step-context.js';
import type { StepDefinition } from '../steps/step-definition.js';

/** One executor of a flavor, open on its real backends, running the given step implementations. */
export interface OpenedExecutor {
  executor: Executor;
  /** The stores the executor's steps write to (its workers' too). */
  store: ArtifactStore;
  meta: MetadataStore;
  /** Closes the executor and whatever the flavor started for it (workers, stores). */
  close(): Promise<void>;
}

/** A flavor of the Executor port, as the contract runs it. */
export interface ExecutorFlavor {
  name: string;
  /**
   * Opens an executor whose steps are `steps`: passed with each request as well, so a flavor may
   * take them either way (in-process from the request, a queue flavor by giving them to its workers).
   */
  open(steps: Record<StepName, StepDefinition>): Promise<OpenedExecutor>;
}

/** One case of the contract: its name and its body, run against a flavor. */
export interface ExecutorContractCase {
  name: string;
  run(flavor: ExecutorFlavor): Promise<void>;
}

const NAMES: readonly StepName[] = ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register'];

// no step here reads its data: the source need not exist
const spec = (name: string): LoadedSpec =>
  parseSpec(
    `apiVersion: myelin/v1
name: ${name}
data: { source: data.csv, target: y }
model: { layers: [ { dense: { units: 2 } } ] }
train: { retry: { attempts: 1, backoffMs: 0 } }
`,
    join(tmpdir(), `${name}.yaml`),
  );

/** What the steps of a case did, in the order they did it (queue workers in this process too). */
interface Trace {
  ran: StepName[];
  inputs: Partial<Record<StepName, Partial<Record<StepName, StepOutputs>>>>;
}

type Behaviour = (ctx: StepContext) => Promise<StepOutputs>;

/** Steps that record what they ran on; `over` replaces a step's body, `cacheKey` makes them cacheable. */
function tracedSteps(
  trace: Trace,
  over: Partial<Record<StepName, Behaviour>> = {},
  cacheKey: unknown = null,
): Record<StepName, StepDefinition> {
  const step = (name: StepName): StepDefinition => ({
    name,
    cacheKey: async () => cacheKey,
    run: async (ctx) => {
      trace.ran.push(name);
      trace.inputs[name] = ctx.inputs;
      const body = over[name];
      return body ? body(ctx) : { step: name, n: NAMES.indexOf(name) };
    },
  });
  return {
    ingest: step('ingest'),
    validate: step('validate'),
    preprocess: step('preprocess'),
    train: step('train'),
    evaluate: step('evaluate'),
    register: step('register'),
  };
}

interface Submitted {
  runId: string;
  result: Promise<ExecutionResult>;
  events: RunEvent[];
  accepted: () => number;
}

/** Records a run as `submitRun` does and hands it to the executor through the port alone. */
async function submit(
  opened: OpenedExecutor,
  loaded: LoadedSpec,
  steps: Record<StepName, StepDefinition>,
  opts: { noCache?: boolean; onEvent?: (e: RunEvent, runId: string) => void } = {},
): Promise<Submitted> {
  const options = { allowOutside: false, noCache: opts.noCache ?? true };
  const { id: runId } = await opened.meta.createRun({
    pipeline: loaded.spec.name,
    trigger: 'cli',
    specHash: loaded.hash,
    specText: loaded.text,
    specFile: loaded.file,
    options: { ...options },
  });
  const events: RunEvent[] = [];
  let accepted = 0;
  const request: ExecutionRequest = {
    runId,
    plan: compilePlan(loaded.spec),
    loaded,
    store: opened.store,
    meta: opened.meta,
    options,
    codeVersion: codeVersion(),
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e, runId);
    },
    shouldStop: () => false,
    steps,
    onAccepted: () => {
      accepted++;
    },
  };
  return { runId, result: opened.executor.execute(request), events, accepted: () => accepted };
}

async function withExecutor(
  flavor: ExecutorFlavor,
  steps: Record<StepName, StepDefinition>,
  body: (opened: OpenedExecutor) => Promise<void>,
): Promise<void> {
  const opened = await flavor.open(steps);
  try {
    await body(opened);
  } finally {
    await opened.close();
  }
}

const statuses = (r: ExecutionResult) => r.steps.map((s) => [s.name, s.status]);
const stepEvents = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'step' ? [`${e.step} ${e.status}`] : []));

/**
 * The Executor port's documented behaviour, one case each, for every flavor to run against its real
 * backends (see `ExecutorFlavor`). Each case opens its own executor and closes it.
 *
 * @example for (const c of EXECUTOR_CONTRACT) it(c.name, () => c.run(localFlavor));
 */
export const EXECUTOR_CONTRACT: readonly ExecutorContractCase[] = [
  {
    name: 'runs the plan’s steps in order (the run marked running by then), each on the outputs of the steps it needs, and returns their records and outputs',
    async run(flavor) {
      const trace: Trace = { ran: [], inputs: {} };
      let statusInFirstStep: string | undefined;
      const steps = tracedSteps(trace, {
        ingest: async (ctx) => {
          statusInFirstStep = (await ctx.meta.getRun(ctx.runId))?.status;
          return { step: 'ingest', n: 0 };
        },
      });
      await withExecutor(flavor, steps, async (opened) => {
        await opened.executor.ping?.(); // its backend is up: it can take work
        const run = await submit(opened, spec('contract-order'), steps);
        const result = await run.result;
        assert.equal(result.error, undefined);
        assert.equal(run.accepted(), 1, 'onAccepted is called once');
        assert.equal(statusInFirstStep, 'running', 'the run is marked running when its first step starts');
        assert.deepEqual(trace.ran, NAMES);
        assert.deepEqual(
          statuses(result),
          NAMES.map((n) => [n, 'succeeded']),
        );
        for (const n of NAMES) assert.deepEqual(result.outputs[n], { step: n, n: NAMES.indexOf(n) });
        assert.deepEqual(trace.inputs.ingest, {});
        assert.deepEqual(trace.inputs.evaluate, {
          ingest: { step: 'ingest', n: 0 },
          preprocess: { step: 'preprocess', n: 2 },
          train: { step: 'train', n: 3 },
        });
        // both flavors write the same step records
        const recorded = await opened.meta.getRun(run.runId);
        assert.deepEqual(
          recorded?.steps.map((s) => [s.name, s.status]),
          NAMES.map((n) => [n, 'succeeded']),
        );
      });
    },
  },
  {
    name: 'a failing step fails the run with its error; the steps after it are skipped, never run',
    async run(flavor) {
      const trace: Trace = { ran: [], inputs: {} };
      const steps = tracedSteps(trace, {
        train: async () => {
          throw new MyelinError('MYELIN_ERR_TRAIN', 'the contract’s train step fails');
        },
      });
      await withExecutor(flavor, steps, async (opened) => {
        const run = await submit(opened, spec('contract-fail'), steps);
        const result = await run.result;
        assert.ok(isMyelinError(result.error), `the run's error is a MyelinError: ${String(result.error)}`);
        assert.equal(result.error.code, 'MYELIN_ERR_TRAIN');
        assert.match(result.error.message, /the contract’s train step fails/);
        assert.deepEqual(trace.ran, ['ingest', 'validate', 'preprocess', 'train']);
        assert.deepEqual(statuses(result), [
          ['ingest', 'succeeded'],
          ['validate', 'succeeded'],
          ['preprocess', 'succeeded'],
          ['train', 'failed'],
          ['evaluate', 'skipped'],
          ['register', 'skipped'],
        ]);
        assert.equal(result.outputs.evaluate, undefined);
        const recorded = await opened.meta.getRun(run.runId);
        assert.equal(recorded?.steps.find((s) => s.name === 'train')?.status, 'failed');
      });
    },
  },
  {
    name: 'cancel asks a running step to stop; the run ends cancelled, the steps not started skipped; an unknown run is not known',
    async run(flavor) {
      const trace: Trace = { ran: [], inputs: {} };
      let cancelled: Promise<boolean> | undefined;
      const steps = tracedSteps(trace, {
        // a long step that stops at its next safe point once asked (as training does at an epoch)
        train: async (ctx) => {
          ctx.emit({
            type: 'epoch',
            step: 'train',
            epoch: 1,
            epochs: 1000,
            metrics: { loss: 1 },
            durationMs: 1,
            samplesPerSec: 1,
          });
          while (!ctx.shouldStop()) await new Promise((r) => setTimeout(r, 10));
          throw new MyelinError('MYELIN_ERR_RUN_CANCELLED', 'the contract’s train step stopped on request');
        },
      });
      await withExecutor(flavor, steps, async (opened) => {
        assert.equal(await opened.executor.cancel('r-nosuchrun000'), false, 'cancel of a run it never saw');
        const run = await submit(opened, spec('contract-cancel'), steps, {
          // cancel once the train step is under way (its first epoch has come through)
          onEvent: (e, runId) => {
            if (e.type === 'epoch' && !cancelled) cancelled = opened.executor.cancel(runId);
          },
        });
        const result = await run.result;
        assert.equal(await cancelled, true, 'cancel of a running run resolves true');
        assert.ok(isMyelinError(result.error));
        assert.equal(result.error.code, 'MYELIN_ERR_RUN_CANCELLED');
        assert.deepEqual(trace.ran, ['ingest', 'validate', 'preprocess', 'train']);
        assert.deepEqual(statuses(result).slice(3), [
          ['train', 'failed'],
          ['evaluate', 'skipped'],
          ['register', 'skipped'],
        ]);
      });
    },
  },
  {
    name: 'a step whose cache key and inputs match an earlier run is a cache hit: its outputs come back without running it',
    async run(flavor) {
      const trace: Trace = { ran: [], inputs: {} };
      const steps = tracedSteps(trace, {}, { contract: 1 });
      await withExecutor(flavor, steps, async (opened) => {
        const first = await (await submit(opened, spec('contract-cache'), steps, { noCache: false })).result;
        assert.equal(first.error, undefined);
        assert.deepEqual(trace.ran, NAMES);
        trace.ran = [];
        const second = await (await submit(opened, spec('contract-cache'), steps, { noCache: false })).result;
        assert.equal(second.error, undefined);
        assert.deepEqual(trace.ran, [], 'no step ran again');
        assert.deepEqual(
          statuses(second),
          NAMES.map((n) => [n, 'cached']),
        );
        assert.deepEqual(second.outputs, first.outputs);
        // noCache runs every step again
        const third = await (await submit(opened, spec('contract-cache'), steps, { noCache: true })).result;
        assert.equal(third.error, undefined);
        assert.deepEqual(trace.ran, NAMES);
      });
    },
  },
  {
    name: 'sends each step’s events in order: running, its own events, then how it ended',
    async run(flavor) {
      const trace: Trace = { ran: [], inputs: {} };
      const steps = tracedSteps(trace, {
        train: async (ctx) => {
          for (let epoch = 1; epoch <= 3; epoch++)
            ctx.emit({
              type: 'epoch',
              step: 'train',
              epoch,
              epochs: 3,
              metrics: { loss: 1 / epoch },
              durationMs: 1,
              samplesPerSec: 1,
            });
          ctx.log('the contract’s train step is done', { notice: true });
          return { step: 'train', n: 3 };
        },
      });
      await withExecutor(flavor, steps, async (opened) => {
        const run = await submit(opened, spec('contract-events'), steps);
        assert.equal((await run.result).error, undefined);
        assert.deepEqual(
          stepEvents(run.events),
          NAMES.flatMap((n) => [`${n} running`, `${n} succeeded`]),
        );
        const train = run.events.filter((e) => e.step === 'train');
        assert.deepEqual(
          train.map((e) =>
            e.type === 'epoch' ? `epoch ${e.epoch}` : e.type === 'step' ? `step ${e.status}` : e.type,
          ),
          ['step running', 'epoch 1', 'epoch 2', 'epoch 3', 'log', 'step succeeded'],
        );
        const log = train.find((e) => e.type === 'log');
        assert.deepEqual(log, {
          type: 'log',
          step: 'train',
          message: 'the contract’s train step is done',
          notice: true,
        });
      });
    },
  },
];

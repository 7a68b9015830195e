import type {
  AliasActor,
  AliasChange,
  EpochRecord,
  JsonValue,
  ListEventsQuery,
  ListRunsQuery,
  MetadataStore,
  ModelDetail,
  ModelRecord,
  NewEpoch,
  NewRun,
  NewVersion,
  PipelineRecord,
  RunEvent,
  RunPatch,
  RunRecord,
  RunStatus,
  RunWithSteps,
  StepPatch,
  StepRecord,
  StepResult,
  VersionRecord,
} from '@myelin/registry';
import type { Fence } from './fence.js';

/**
 * A metadata store whose writes pass a fence first, reads go straight through: what a queued step
 * job writes with (its step records, epochs, events, logs, a registered version), so a stale job —
 * its lock lost while it kept running — can never write over the job's new holder.
 */
class FencedMetadataStore implements MetadataStore {
  constructor(
    private readonly inner: MetadataStore,
    private readonly fence: Fence,
  ) {}

  get dialect(): string {
    return this.inner.dialect;
  }
  describe(): string {
    return this.inner.describe();
  }
  private async fenced<T>(write: () => Promise<T>): Promise<T> {
    await this.fence();
    return write();
  }

  createRun(input: NewRun): Promise<RunRecord> {
    return this.fenced(() => this.inner.createRun(input));
  }
  updateRun(id: string, patch: RunPatch): Promise<RunRecord> {
    return this.fenced(() => this.inner.updateRun(id, patch));
  }
  getRun(id: string): Promise<RunWithSteps | null> {
    return this.inner.getRun(id);
  }
  listRuns(query?: ListRunsQuery): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
    return this.inner.listRuns(query);
  }
  runStatuses(ids: readonly string[]): Promise<Map<string, RunStatus>> {
    return this.inner.runStatuses(ids);
  }
  listPipelines(): Promise<PipelineRecord[]> {
    return this.inner.listPipelines();
  }
  upsertStep(runId: string, name: string, patch?: StepPatch): Promise<StepRecord> {
    return this.fenced(() => this.inner.upsertStep(runId, name, patch));
  }
  startStep(runId: string, name: string): Promise<StepRecord> {
    return this.fenced(() => this.inner.startStep(runId, name));
  }
  finishStep(runId: string, name: string, result: StepResult): Promise<StepRecord> {
    return this.fenced(() => this.inner.finishStep(runId, name, result));
  }
  heartbeatStep(runId: string, name: string, leaseMs: number): Promise<void> {
    return this.fenced(() => this.inner.heartbeatStep(runId, name, leaseMs));
  }
  appendStepLog(runId: string, name: string, text: string): Promise<void> {
    return this.fenced(() => this.inner.appendStepLog(runId, name, text));
  }
  recordEpoch(input: NewEpoch): Promise<void> {
    return this.fenced(() => this.inner.recordEpoch(input));
  }
  listEpochs(runId: string, step?: string): Promise<EpochRecord[]> {
    return this.inner.listEpochs(runId, step);
  }
  appendEvent(runId: string, type: string, payload?: JsonValue): Promise<RunEvent> {
    return this.fenced(() => this.inner.appendEvent(runId, type, payload));
  }
  listEvents(query?: ListEventsQuery): Promise<RunEvent[]> {
    return this.inner.listEvents(query);
  }
  registerVersion(input: NewVersion): Promise<{ version: VersionRecord; created: boolean }> {
    return this.fenced(() => this.inner.registerVersion(input));
  }
  getVersion(model: string, version: number): Promise<VersionRecord | null> {
    return this.inner.getVersion(model, version);
  }
  findVersionByManifest(model: string, manifestKey: string): Promise<VersionRecord | null> {
    return this.inner.findVersionByManifest(model, manifestKey);
  }
  resolveAlias(model: string, alias: string): Promise<number | null> {
    return this.inner.resolveAlias(model, alias);
  }
  setAlias(model: string, alias: string, version: number, actor: AliasActor): Promise<void> {
    return this.fenced(() => this.inner.setAlias(model, alias, version, actor));
  }
  removeAlias(model: string, alias: string, actor: AliasActor): Promise<void> {
    return this.fenced(() => this.inner.removeAlias(model, alias, actor));
  }
  aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    return this.inner.aliasHistory(model, alias);
  }
  listModels(): Promise<ModelRecord[]> {
    return this.inner.listModels();
  }
  getModel(name: string): Promise<ModelDetail | null> {
    return this.inner.getModel(name);
  }
  /** The wrapped store belongs to the worker: closing the wrapper leaves it open. */
  async close(): Promise<void> {}
}

/**
 * Wraps a metadata store so every write passes `fence` first (see {@link FencedMetadataStore}).
 *
 * @example const meta = fenceMetadataStore(stack.meta, jobLockFence({ … }));
 */
export function fenceMetadataStore(meta: MetadataStore, fence: Fence): MetadataStore {
  return new FencedMetadataStore(meta, fence);
}

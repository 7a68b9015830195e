import type { ArtifactStore } from '@myelin/artifacts';

/** One logged instance. */
export interface SampleRecord {
  ts: number;
  model: string;
  version: number;
  predictionId: string;
  input: unknown;
  output: unknown;
}

/**
 * Sampled input/output logging to the artifact store (off unless a model sets `logSampleRate`).
 * Records are buffered and written as one JSON Lines artifact per `batchSize` records (and on
 * `flush`), each under the ref `serving-logs/<model>/<epoch ms>-<seq>`.
 */
export class SampleLogger {
  private buffer = new Map<string, SampleRecord[]>();
  private seq = 0;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ArtifactStore,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Adds a record; writes the model's buffer when it holds `batchSize` records. */
  add(record: SampleRecord, batchSize: number): void {
    const list = this.buffer.get(record.model) ?? [];
    list.push(record);
    this.buffer.set(record.model, list);
    if (list.length >= batchSize) this.write(record.model);
  }

  /** Writes every buffered record; resolves when all writes are done. */
  async flush(): Promise<void> {
    for (const model of [...this.buffer.keys()]) this.write(model);
    await this.writing;
  }

  private write(model: string): void {
    const list = this.buffer.get(model);
    if (!list || list.length === 0) return;
    this.buffer.delete(model);
    const text = list.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const ref = `serving-logs/${model.replace(/[^A-Za-z0-9._-]/g, '_')}/${list[0]!.ts}-${++this.seq}`;
    this.writing = this.writing
      .then(async () => {
        const { key } = await this.store.put(new TextEncoder().encode(text), {
          contentType: 'application/x-ndjson',
        });
        await this.store.putRef(ref, key);
      })
      .catch(this.onError);
  }
}

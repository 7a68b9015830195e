import { modelFileEntry, storeManifest, type ModelFileRole, type ModelManifest } from '@myelin/artifacts';
import type { TableReport } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import { storeOnnxExport } from '@myelin/onnx';
import type { StepContext } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { RegisterOutputs } from './step-outputs.js';
import { getJson, putJson } from '../util/json-artifacts.js';

/**
 * Writes the model version's manifest (every file with its hash and size, lineage, metrics,
 * gate verdicts) and registers it under the requested aliases — only when every gate passed.
 * A model that fails a gate is stored (its manifest stays in the artifact store and in the run's
 * record) but not registered. Registration is idempotent per manifest, so a retried step never
 * registers twice.
 */
export const registerStep: TypedStep<'register'> = {
  name: 'register',
  async cacheKey(ctx) {
    // Unchanged inputs (same model files, metrics and verdicts) give the version registered before,
    // instead of a duplicate version of the same model.
    return { register: ctx.spec.register };
  },
  async run(ctx: StepContext): Promise<RegisterOutputs> {
    const { spec } = ctx;
    const report = await getJson<TableReport>(ctx.store, input(ctx, 'validate', 'report'));
    const modelJson = input(ctx, 'train', 'modelJson');
    const weights = input(ctx, 'train', 'weights');
    // model.onnx: the served tfjs model as an ONNX graph, for Triton, KServe and ONNX Runtime
    const onnx = await storeOnnxExport(ctx.store, { modelJson, weights }, { name: spec.register.model }).then(
      (key) => key,
      (e: unknown) => {
        // a layer the export does not know must not lose the trained model: it is registered without
        if (!(e instanceof MyelinError && e.code === 'MYELIN_ERR_ONNX_EXPORT')) throw e;
        ctx.log(`warning: no model.onnx for this version: ${e.message}`);
        return null;
      },
    );
    const stored: [ModelFileRole, string][] = [
      ['model', input(ctx, 'train', 'model')],
      ['model-json', modelJson],
      ['weights', weights],
      ...(onnx ? [['onnx', onnx] as [ModelFileRole, string]] : []),
      ['preprocessor', input(ctx, 'preprocess', 'preprocessor')],
      ['target-encoder', input(ctx, 'preprocess', 'targetEncoder')],
      ['schema', await putJson(ctx.store, report.schema)],
      ['profile', await putJson(ctx.store, report.profile)],
      ['evaluation', input(ctx, 'evaluate', 'evaluation')],
    ];
    const files = await Promise.all(stored.map(([role, key]) => modelFileEntry(ctx.store, role, key)));
    const metrics = input(ctx, 'evaluate', 'metrics');
    const gates = input(ctx, 'evaluate', 'gates');
    const passed = input(ctx, 'evaluate', 'passed');
    const manifest: ModelManifest = {
      schemaVersion: 1,
      model: spec.register.model,
      createdAt: new Date().toISOString(),
      files,
      specHash: ctx.loaded.hash,
      dataHash: input(ctx, 'ingest', 'dataHash'),
      code: ctx.codeVersion,
      backend: input(ctx, 'train', 'backend'),
      engine: input(ctx, 'train', 'engine'),
      task: input(ctx, 'preprocess', 'task'),
      metrics,
      gates: Object.fromEntries(
        Object.entries(gates).map(([k, g]) => [k, { passed: g.passed, value: g.value, bound: g.bound }]),
      ),
      runId: ctx.runId,
      inputShape: input(ctx, 'preprocess', 'inputShape'),
    };
    const manifestKey = await storeManifest(ctx.store, manifest);
    if (!passed) {
      const failed = Object.entries(gates)
        .filter(([, g]) => !g.passed)
        .map(([k, g]) => `${k} = ${fmt(g.value)} (needs ${g.bound})`);
      throw new MyelinError(
        'MYELIN_ERR_GATE_FAILED',
        `the model failed ${failed.length} gate(s): ${failed.join('; ')}. It is stored (manifest ${manifestKey}) but not registered under ${spec.register.aliases.join(', ')}`,
        { file: ctx.loaded.file, path: 'evaluate.gates' },
        { cause: { manifest: manifestKey } },
      );
    }
    const { version: registered } = await ctx.meta.registerVersion({
      model: spec.register.model,
      manifestKey,
      metrics,
      gates: manifest.gates,
      runId: ctx.runId,
      specHash: manifest.specHash,
      dataHash: manifest.dataHash,
      codeVersion: manifest.code.commit
        ? `${manifest.code.version}+${manifest.code.commit.slice(0, 12)}`
        : manifest.code.version,
      aliases: spec.register.aliases,
      who: `run ${ctx.runId}`,
      why: `registered by pipeline ${spec.name}`,
    });
    ctx.log(`registered ${spec.register.model}@${registered.version} (${spec.register.aliases.join(', ')})`);
    return {
      manifest: manifestKey,
      model: spec.register.model,
      version: registered.version,
      aliases: spec.register.aliases,
    };
  },
};

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 10000) / 10000) : String(x);
}

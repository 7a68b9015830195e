import type * as z from 'zod';
import { describeValue } from '../describe-value.js';
import { parseTunePath, valueAtTunePath } from '../tune/tune-path.js';
import { addSpecIssue } from './spec-issue.js';
import type { SearchDimension, TuneSection } from './tune-section.js';

/** What kind of value a dimension draws, for the message when the field holds another kind. */
function drawnKind(d: SearchDimension): 'number' | 'integer' | 'choice' {
  if (d.int) return 'integer';
  if (d.choice) return 'choice';
  return 'number';
}

/**
 * Checks every path of `tune.space` against the resolved spec: the field must exist (after
 * defaults) and hold the kind of value the dimension draws (a number for uniform / logUniform, an
 * integer for int, values of the field's type for choice). Issues point at the path's key.
 */
export function checkTuneSpace(spec: Record<string, unknown>, tune: TuneSection, ctx: z.RefinementCtx): void {
  for (const [path, dim] of Object.entries(tune.space)) {
    const at: PropertyKey[] = ['tune', 'space', path];
    const segments = parseTunePath(path);
    if (!segments) {
      addSpecIssue(ctx, at, `"${path}" is not a field path of train or model, e.g. train.optimizer.learningRate or model.layers[0].units`);
      continue;
    }
    const current = valueAtTunePath(spec, segments);
    if (current === undefined) {
      addSpecIssue(ctx, at, `${path} does not exist in this pipeline (set it in ${String(segments[0])} first to tune it)`);
      continue;
    }
    if (!dim.int && !dim.choice && !dim.uniform && !dim.logUniform) continue; // said by the dimension
    const kind = drawnKind(dim);
    if (kind === 'choice') {
      const bad = (dim.choice ?? []).find((v) => typeof v !== typeof current);
      if (bad !== undefined) {
        addSpecIssue(ctx, at, `${path} holds ${describeValue(current)}: a choice of ${describeValue(bad)} has the wrong type`);
      }
    } else if (typeof current !== 'number') {
      addSpecIssue(ctx, at, `${path} holds ${describeValue(current)}, not a number: use choice for it`);
    } else if (kind === 'number' && Number.isInteger(current) && isIntegerField(path)) {
      addSpecIssue(ctx, at, `${path} is a whole number: use int: [low, high] for it`);
    }
  }
}

/** Fields whose schema takes integers only (a drawn fraction would fail there). */
function isIntegerField(path: string): boolean {
  return /(^|\.)(epochs|batchSize|units|filters|patience|checkpointEvery|seed|every)$/.test(path);
}

import { resolve, dirname } from 'node:path';
import { MyelinErrorList, type MyelinError } from '@myelin/errors';
import { issueToErrors, withoutShadowedIssues } from './issues-to-errors.js';
import { readYaml } from './read-yaml.js';
import { pipelineSchema, type PipelineSpec } from './schema/pipeline-schema.js';
import { specHash } from './spec-hash.js';

/** A pipeline file, read and resolved. */
export interface LoadedSpec {
  /** The resolved spec: the file with every default applied. */
  spec: PipelineSpec;
  /** Absolute path of the file. */
  file: string;
  /** Absolute path of the folder holding the file (relative data paths start here). */
  dir: string;
  /** sha256 hex of the canonical (sorted-key) JSON of the resolved spec. */
  hash: string;
  /** The file's text as read. */
  text: string;
}

function byPosition(a: MyelinError, b: MyelinError): number {
  return (
    (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0)
  );
}

/**
 * Parses and checks the text of a pipeline file. `file` is the path as the user gave it; messages
 * show it as given (`penguins.yaml:14:5 train.optimizer.learningRate: ...`), LoadedSpec.file is it
 * made absolute. Throws a MyelinErrorList with every problem found, sorted by line, or a
 * MyelinError for a problem with the file as a whole (too large, empty, alias bomb).
 *
 * @example
 * const { spec, hash } = parseSpec(await readFile('pipeline.yaml', 'utf8'), 'pipeline.yaml');
 */
export function parseSpec(text: string, file: string): LoadedSpec {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { doc, lineCounter, value } = readYaml(source, file);
  const result = pipelineSchema.safeParse(value);
  if (!result.success) {
    const ctx = { file, doc, lineCounter, input: value, schema: pipelineSchema };
    const seen = new Set<string>();
    const errors = withoutShadowedIssues(result.error.issues)
      .flatMap((issue) => issueToErrors(issue, ctx))
      .filter((e) => !seen.has(e.message) && seen.add(e.message))
      .sort(byPosition);
    throw new MyelinErrorList(errors);
  }
  const absolute = resolve(file);
  return { spec: result.data, file: absolute, dir: dirname(absolute), hash: specHash(result.data), text };
}

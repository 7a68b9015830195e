import { isAlias, isMap, isScalar, isSeq, parseYamlDocument } from '@myelin/spec';

/** The parts of a YAML node this app reads. */
export interface YamlNode {
  range?: readonly [number, number, number] | null;
  flow?: boolean;
  items?: unknown[];
  value?: unknown;
}

/** The parts of a YAML pair this app reads. */
export interface YamlPair {
  key: unknown;
  value: unknown;
}

/**
 * The spec package's YAML reader (its `yaml` version and options), so the node positions this app
 * edits are the ones the spec parser reports.
 */
export const specYaml = { parseDocument: parseYamlDocument, isMap, isSeq, isScalar, isAlias };

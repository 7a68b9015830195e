import * as YAML from 'yaml';

/** The parts of a `yaml` (v2) node this app reads. */
export interface YamlNode {
  range?: [number, number, number] | null;
  flow?: boolean;
  items?: unknown[];
  value?: unknown;
}

/** The parts of a `yaml` (v2) pair this app reads. */
export interface YamlPair {
  key: unknown;
  value: unknown;
}

/** The parts of the `yaml` (v2) module this app uses. */
export interface SpecYaml {
  parseDocument(text: string, options: Record<string, unknown>): { contents: unknown; errors: unknown[] };
  isMap(node: unknown): node is YamlNode & { items: YamlPair[] };
  isSeq(node: unknown): node is YamlNode & { items: unknown[] };
  isScalar(node: unknown): node is YamlNode & { value: unknown };
  isAlias(node: unknown): boolean;
}

/**
 * The `yaml` (v2) module, the same major version @myelin/spec parses pipeline files with, so the
 * node positions this app edits are the ones the spec parser reports.
 */
export const specYaml: SpecYaml = YAML as unknown as SpecYaml;

import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/**
 * The YAML reader of pipeline files, for tools that edit the text where it was written (the queue
 * API's overrides): the same `yaml` version and options as {@link readYaml}, so the node ranges
 * they edit are the positions the spec's messages report. Nothing is checked here; parse the edited
 * text with `parseSpec`.
 *
 * @example parseYamlDocument('train:\n  epochs: 5\n').contents // a YAMLMap whose ranges point into the text
 */
export function parseYamlDocument(text: string): Document.Parsed {
  return parseDocument(text, { uniqueKeys: true, schema: 'core', merge: false, keepSourceTokens: false });
}

export { isAlias, isMap, isScalar, isSeq };
export type { Document, Node as YamlNode, Pair as YamlPair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

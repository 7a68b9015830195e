/** The table formats Myelin reads: the one registry the pipeline schema and the readers share. */
export const DATA_FORMATS = ['csv', 'json', 'jsonl', 'parquet'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** What a file extension says about a file: its format and, for delimited text, the delimiter. */
export interface FormatOfExtension {
  format: DataFormat;
  /** Field delimiter for `csv` when it is not a comma (`\t` for `.tsv`). */
  delimiter?: string;
}

/** Every file extension Myelin reads, with what it means. */
export const FORMAT_EXTENSIONS: Readonly<Record<string, FormatOfExtension>> = {
  '.csv': { format: 'csv' },
  '.tsv': { format: 'csv', delimiter: '\t' },
  '.json': { format: 'json' },
  '.jsonl': { format: 'jsonl' },
  '.ndjson': { format: 'jsonl' },
  '.parquet': { format: 'parquet' },
};

/**
 * The format a path or URL names by its extension (query and fragment ignored, any case), or
 * undefined when the extension is not one Myelin reads.
 *
 * @example formatOfExtension('data/penguins.TSV') // { format: 'csv', delimiter: '\t' }
 */
export function formatOfExtension(source: string): FormatOfExtension | undefined {
  const clean = source.replace(/[?#].*$/, '').toLowerCase();
  const ext = /\.[a-z0-9]+$/.exec(clean)?.[0];
  return ext === undefined ? undefined : FORMAT_EXTENSIONS[ext];
}

/** The extensions as a list for messages: `.csv, .tsv, .json, .jsonl, .ndjson or .parquet`. */
export function formatExtensionList(): string {
  const all = Object.keys(FORMAT_EXTENSIONS);
  return `${all.slice(0, -1).join(', ')} or ${all.at(-1)}`;
}

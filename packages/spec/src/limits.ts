/** Largest pipeline file Myelin reads, in bytes (1 MiB). Checked before the file is read whole. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/**
 * Budget for YAML alias expansion (the `yaml` package's `maxAliasCount`). Ordinary reuse of an
 * anchor (a shared layer block used a few times) stays far below it; "billion laughs" bombs pass it.
 */
export const MAX_ALIAS_COUNT = 100;

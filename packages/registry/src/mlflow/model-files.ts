/** One file of a model version as its manifest lists it. */
export interface ModelFile {
  /** File name, e.g. `model.json`, `weights.bin`, `model.onnx`. */
  name: string;
  /** Content key in the artifact store. */
  key: string;
}

/**
 * The files a model manifest lists (`files[].name` and `files[].key`; see `ModelManifest` in
 * `@myelin/artifacts`), read from its bytes without depending on that package. Entries without a
 * string name and key are left out; bytes that are not a manifest give none.
 */
export function modelFilesOf(manifest: Uint8Array): ModelFile[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(manifest).toString('utf8'));
  } catch {
    return [];
  }
  const files = (value as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((f: unknown) => {
    const { name, key } = (f ?? {}) as { name?: unknown; key?: unknown };
    return typeof name === 'string' && typeof key === 'string' ? [{ name, key }] : [];
  });
}

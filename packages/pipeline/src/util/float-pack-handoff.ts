import type { ArtifactStore } from '@myelin/artifacts';

/** How long a stored pack is held for the next step of this process at most, before only weakly. */
const HOLD_MS = 60_000;

/** The float packs this process stored (by content key), for as long as something else keeps them. */
const stored = new Map<string, WeakRef<Uint8Array>>();
/** Drops a key once its pack was collected (a long-lived worker stores many packs). */
const collected = new FinalizationRegistry<string>((key) => {
  if (stored.get(key)?.deref() === undefined) stored.delete(key);
});
/** The last pack stored, held until a step takes it (or HOLD_MS passed): a collection in between must not lose it. */
let held: { key: string; bytes: Uint8Array; timer: NodeJS.Timeout } | undefined;

function release(): void {
  if (held) clearTimeout(held.timer);
  held = undefined;
}

/**
 * Notes that `bytes` are the stored float pack `key` (what `store.put(bytes)` returned), so a
 * later step in this process reads them from memory (`floatPackBytes`) instead of from the store.
 * Held until the first such read (or a minute, for a process whose next step never comes), then
 * weakly: the pack stays only while something else keeps it, and once the garbage collector took
 * it the next read goes to the store. The caller must not change `bytes` after this.
 */
export function keepFloatPack(key: string, bytes: Uint8Array): void {
  release();
  const timer = setTimeout(release, HOLD_MS);
  timer.unref();
  held = { key, bytes, timer };
  stored.set(key, new WeakRef(bytes));
  collected.register(bytes, key);
}

/**
 * The stored float pack `key`: the bytes the step that stored it in this process still holds in
 * memory (`keepFloatPack`), else read from the store (hash verified). A whole-file read of a pack
 * that is still in memory would hold it twice — the preprocess step's copy is garbage only once a
 * collection ran, which the train step's start does not wait for — and read and touch every page
 * of it again. The bytes are content-addressed (the key is their sha256), so the two are the same;
 * they are read-only for the caller.
 */
export async function floatPackBytes(store: ArtifactStore, key: string): Promise<Uint8Array> {
  const kept = held?.key === key ? held.bytes : stored.get(key)?.deref();
  if (held?.key === key) release();
  if (kept) return kept;
  stored.delete(key);
  return store.getBytes(key);
}

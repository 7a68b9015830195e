import * as tf from '@tensorflow/tfjs';

/** The native packages, GPU build first. */
export type NativePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

/** How a module is imported; tests pass their own to stand in for the optional packages. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Result of trying a native package: usable (maybe on a GPU) or why not. */
export type NativeLoad = { ok: true; gpu: boolean; note?: string } | { ok: false; why: string };

/** The fields tfjs-node's NodeJSKernelBackend exposes about its device. */
interface NodeBackendFlags {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

/** Imports with Node's loader (a variable specifier keeps bundlers and tsc off the optional package). */
export const defaultImporter: ModuleImporter = (specifier) => import(specifier);

/**
 * Tries to load a native tfjs-node package and reports whether its `tensorflow` backend is
 * usable and whether it runs on a GPU it can see (`isGPUPackage && isUsingGpuDevice`: the GPU
 * build without CUDA 11.2 / cuDNN 8.1 silently runs on the CPU). Never throws.
 */
export async function loadNativeBackend(
  pkg: NativePackage,
  importModule: ModuleImporter = defaultImporter,
): Promise<NativeLoad> {
  if (!tf.findBackendFactory('tensorflow')) {
    try {
      await importModule(pkg);
    } catch (e) {
      return { ok: false, why: describeImportError(pkg, e) };
    }
  }
  if (!tf.findBackendFactory('tensorflow')) {
    return {
      ok: false,
      why: 'loaded, but registered no "tensorflow" backend with this copy of @tensorflow/tfjs-core (duplicate tfjs installs?)',
    };
  }
  let backend: tf.KernelBackend | null;
  try {
    backend = tf.findBackend('tensorflow');
  } catch (e) {
    return { ok: false, why: `its native backend failed to start: ${firstLine(e)}` };
  }
  if (!backend) return { ok: false, why: 'its native backend failed to start' };
  const flags: NodeBackendFlags = {
    isGPUPackage: 'isGPUPackage' in backend && backend.isGPUPackage === true,
    isUsingGpuDevice: 'isUsingGpuDevice' in backend && backend.isUsingGpuDevice === true,
  };
  if (pkg === '@tensorflow/tfjs-node-gpu') {
    if (flags.isGPUPackage !== true)
      return { ok: true, gpu: false, note: 'the loaded native build is the CPU build' };
    if (flags.isUsingGpuDevice !== true) {
      return {
        ok: true,
        gpu: false,
        note: 'loaded, but sees no CUDA device (it needs CUDA 11.2 and cuDNN 8.1); it would run on the CPU',
      };
    }
    return { ok: true, gpu: true };
  }
  return { ok: true, gpu: flags.isUsingGpuDevice === true };
}

function describeImportError(pkg: string, e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const msg = firstLine(e);
  // The package itself is missing (not a file inside it, such as its native .node binding).
  const quoted = msg.includes(`'${pkg}'`) || msg.includes(`"${pkg}"`);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && quoted) return 'not installed';
  return `failed to load: ${msg}`;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

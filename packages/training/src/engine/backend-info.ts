/** The backends Myelin can train on, fastest first. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** What `MYELIN_BACKEND` / `selectBackend({ prefer })` accept. */
export type BackendPreference = 'tensorflow' | 'wasm' | 'cpu';

/** The backend `selectBackend` chose, and why the ones before it were skipped. */
export interface BackendInfo {
  /** Myelin's name for the backend. */
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`): `tensorflow`, `wasm` or `cpu`. */
  tfBackend: string;
  /** True only when a native build runs on a CUDA device it actually sees. */
  gpu: boolean;
  /** One line per skipped candidate, e.g. `@tensorflow/tfjs-node-gpu: not installed`. */
  reason: string[];
}

/** The tfjs backend name of each Myelin backend name. */
export const TF_BACKEND_OF: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

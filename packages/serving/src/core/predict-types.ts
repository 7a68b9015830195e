import type { Cell } from '@myelin/data';
import type { LoadedVersion } from '../loading/loaded-version.js';
import type { InstanceWarning } from '../validation/instance-warning.js';

/** Which version a request asks for: a number, an alias, or (neither) the served alias with any rollout. */
export interface VersionSelector {
  version?: number;
  label?: string;
}

/**
 * A request's instances in protocol-neutral form, encoded against the version that answers
 * (`encodeBatch`), in one pass from the parsed JSON to the model's input matrix.
 *
 * - `rows`: one entry per instance, a record keyed by feature name or an encoded numeric row
 *   (flat or nested): TF Serving `instances`, a list `inputs`, `:classify`/`:regress` examples.
 * - `columns`: one array per name with `n` values per column (typed arrays allowed): TF Serving
 *   columnar `inputs`, one V2 tensor per feature, or one V2 tensor named `input` of encoded rows
 *   (`width[name]` values per instance).
 */
export type InstanceBatch =
  | {
      kind: 'rows';
      rows: readonly unknown[];
      /** How messages name instance `i`, field `f`. */
      where: (instance: number, field: string | null) => string;
    }
  | {
      kind: 'columns';
      n: number;
      columns: Readonly<Record<string, ArrayLike<unknown>>>;
      /** Values per instance in each column (1 for a feature). */
      width: Readonly<Record<string, number>>;
      /** V2 datatype of each column, checked against the feature's kind; absent for TF columnar. */
      datatype?: Readonly<Record<string, string>>;
      /** Names that are not features are refused (V2) rather than ignored (TF columnar). */
      strictNames: boolean;
      where: (instance: number, field: string | null) => string;
    };

/** A prediction request in protocol-neutral form. */
export interface PredictRequest {
  model: string;
  selector: VersionSelector;
  batch: InstanceBatch;
  protocol: 'tfserving' | 'kserve';
  /** `X-Request-Key`: keeps a caller on one side of a canary. */
  requestKey?: string;
  /**
   * Protocol checks against the version that will answer (signature name, requested outputs,
   * classify on a classifier), run once the version is resolved and before anything is predicted.
   */
  check?: (v: LoadedVersion) => void;
}

/** The answer to a `PredictRequest`, column by column (protocol adapters shape it). */
export interface PredictOutcome {
  model: string;
  version: number;
  task: string;
  /**
   * Class labels in output order (classifiers), else null, of the same type as `labels` (a 0/1
   * target gives `[0, 1]` and labels `0` or `1`), so `classes.indexOf(label)` finds a label's column.
   */
  classes: Cell[] | null;
  n: number;
  /** One id per instance, for feedback. */
  predictionIds: string[];
  /** Classifiers: the predicted label of each instance. */
  labels: Cell[] | null;
  /** Classifiers: `n × classes.length` probabilities, row-major, in class order (binary: [1 − p, p]). */
  probabilities: Float32Array | null;
  /** Regression: the prediction of each instance on the target's scale. */
  values: number[] | null;
  warnings: InstanceWarning[];
}

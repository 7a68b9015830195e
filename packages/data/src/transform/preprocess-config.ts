/** The pipeline file's `preprocess` section. */
export interface PreprocessConfig {
  impute: {
    /** Fill for missing numbers/integers/datetimes: training mean, median, or `numericConstant`. */
    numeric: 'mean' | 'median' | 'constant';
    /** Fill for missing categories: the most frequent training value, or `categoryConstant`. */
    category: 'mostFrequent' | 'constant';
    /** @defaultValue 0 */
    numericConstant?: number;
    /** Required when `category` is 'constant'; it joins the category list if it is not in it. */
    categoryConstant?: string;
  };
  /** standard: (x − mean) / std; minmax: (x − min) / (max − min); none: x. A spread of 0 divides by 1. */
  scale: 'standard' | 'minmax' | 'none';
  /** onehot: one 0/1 column per category; index: one column holding the category index. */
  encode: 'onehot' | 'index';
  /**
   * A category not seen in training: 'error' throws MYELIN_ERR_TRANSFORM; 'ignore' encodes it as
   * all zeros (onehot) or −1 (index); 'mostFrequent' encodes the most frequent training category.
   */
  unseen: 'error' | 'ignore' | 'mostFrequent';
}

/** A numeric feature (number, integer, or datetime as epoch milliseconds): impute, then (x − center) / scale. */
export interface FittedNumericFeature {
  name: string;
  kind: 'numeric';
  source: 'number' | 'integer' | 'datetime';
  /** Value used for a missing input, before scaling. */
  fill: number;
  center: number;
  /** Never 0 (a zero spread is stored as 1). */
  scale: number;
  /** Training statistics over the non-missing values (population std). */
  stats: { count: number; mean: number; std: number; min: number; max: number; median: number };
  /** First output column. */
  offset: number;
}

/** A boolean feature: false → 0, true → 1; missing → `fill` (the most frequent training value). */
export interface FittedBooleanFeature {
  name: string;
  kind: 'boolean';
  fill: 0 | 1;
  offset: number;
}

/** A category feature: impute, then one-hot (`width` = categories.length) or index (`width` 1). */
export interface FittedCategoryFeature {
  name: string;
  kind: 'category';
  /** Sorted: the schema's domain ∪ the training values (∪ the impute constant). */
  categories: string[];
  /** Most frequent training value (ties: first in sort order). */
  mostFrequent: string;
  /** Category used for a missing input. */
  fill: string;
  offset: number;
  width: number;
}

export type FittedFeature = FittedNumericFeature | FittedBooleanFeature | FittedCategoryFeature;

/**
 * Preprocessing fitted on the training split: a plain JSON object saved with the model and replayed
 * by the server through `transformRecord` / `transformBatch`.
 */
export interface FittedPreprocessor {
  version: 1;
  config: PreprocessConfig;
  features: FittedFeature[];
  /** One name per output column, e.g. `Beak Length (mm)`, `Island=Biscoe`. */
  outputNames: string[];
  /** Number of output columns. */
  width: number;
}

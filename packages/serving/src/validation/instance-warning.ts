/** Something odd about an accepted instance (the request still succeeds). */
export interface InstanceWarning {
  /** 0-based index of the instance in the request. */
  instance: number;
  field: string;
  /** `out-of-range`: a number outside the training range; `unseen-category`: encoded per the transform's policy. */
  kind: 'out-of-range' | 'unseen-category';
  message: string;
}

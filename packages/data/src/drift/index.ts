export { psi, psiFromCounts, type PsiOptions } from './psi.js';
export { ksTest, type KsResult } from './ks-test.js';
export { jensenShannon, jensenShannonSamples, jensenShannonFromWeights, type Distribution } from './jensen-shannon.js';
export { wassersteinDistance, wassersteinNormalized } from './wasserstein.js';
export { chiSquared, chiSquaredFromCounts, type ChiSquaredResult } from './chi-squared.js';
export {
  driftBetweenProfiles,
  type ProfileDriftMetric,
  type ProfileDriftResult,
} from './drift-between-profiles.js';
export { quantileEdges, binCounts, rebinHistogram } from './binning.js';
export { kolmogorovSf } from './kolmogorov-sf.js';
export { chiSquaredSf } from './chi-squared-sf.js';

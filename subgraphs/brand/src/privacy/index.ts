export { HmacRandomStream } from "./hmac-random-stream.js";
export {
  bernoulliExpNeg,
  epsilonToScale,
  parseEpsilon,
  sampleDiscreteLaplace,
  type Rational,
} from "./discrete-laplace.js";
export { margin95, tailProbability } from "./margin95.js";
export {
  exactCommitment,
  figuresCommitment,
  releaseCount,
  type ReleaseCountInput,
  type ReleasedCount,
} from "./noisy-count.js";

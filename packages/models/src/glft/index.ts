export {
  EigenSolverConvergenceError,
  type EigenSolverConvergenceErrorType,
  GlftPrecisionLossError,
  type GlftPrecisionLossErrorType,
} from '../errors/glft.js'
export {
  type BuildGlftMatrixErrorType,
  buildGlftMatrix,
  GLFT_MAX_INVENTORY_LOTS_LIMIT,
  type GlftExactParameters,
  type GlftMatrix,
} from './buildGlftMatrix.js'
export {
  type ComputeGlftApproxQuotesErrorType,
  type ComputeGlftApproxQuotesParameters,
  type ComputeGlftApproxQuotesReturnType,
  computeGlftApproxQuotes,
} from './computeGlftApproxQuotes.js'
export {
  type ComputeGlftCoefficientsErrorType,
  type ComputeGlftCoefficientsParameters,
  type ComputeGlftCoefficientsReturnType,
  computeGlftCoefficients,
} from './computeGlftCoefficients.js'
export {
  type ComputeGlftHalfSpreadAndSkewErrorType,
  type ComputeGlftHalfSpreadAndSkewParameters,
  type ComputeGlftHalfSpreadAndSkewReturnType,
  computeGlftHalfSpreadAndSkew,
} from './computeGlftHalfSpreadAndSkew.js'
export {
  type ComputeGueantApproxQuotesErrorType,
  type ComputeGueantApproxQuotesParameters,
  type ComputeGueantApproxQuotesReturnType,
  computeGueantApproxQuotes,
} from './computeGueantApproxQuotes.js'
export type { GlftModelParameters } from './glftParameters.js'
export {
  GLFT_EXACT_RELATIVE_TOLERANCE,
  type GlftExactSolution,
  type GlftQuote,
  type GlftQuoteTable,
  type SolveGlftExactErrorType,
  solveGlftExact,
} from './solveGlftExact.js'

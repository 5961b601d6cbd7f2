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
  type GetGlftApproxQuotesErrorType,
  type GetGlftApproxQuotesParameters,
  type GetGlftApproxQuotesReturnType,
  getGlftApproxQuotes,
} from './getGlftApproxQuotes.js'
export {
  type GetGlftCoefficientsErrorType,
  type GetGlftCoefficientsParameters,
  type GetGlftCoefficientsReturnType,
  getGlftCoefficients,
} from './getGlftCoefficients.js'
export {
  type GetGlftHalfSpreadAndSkewErrorType,
  type GetGlftHalfSpreadAndSkewParameters,
  type GetGlftHalfSpreadAndSkewReturnType,
  getGlftHalfSpreadAndSkew,
} from './getGlftHalfSpreadAndSkew.js'
export {
  type GetGueantApproxQuotesErrorType,
  type GetGueantApproxQuotesParameters,
  type GetGueantApproxQuotesReturnType,
  getGueantApproxQuotes,
} from './getGueantApproxQuotes.js'
export type { GlftModelParameters } from './glftParameters.js'
export {
  GLFT_EXACT_RELATIVE_TOLERANCE,
  type GlftExactSolution,
  type GlftQuote,
  type GlftQuoteTable,
  type SolveGlftExactErrorType,
  solveGlftExact,
} from './solveGlftExact.js'

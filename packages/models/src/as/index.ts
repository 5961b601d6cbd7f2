export type {
  AsInfiniteHorizonQuote,
  AsInfiniteHorizonQuoteParameters,
  ComputeAsInfiniteHorizonQuoteErrorType,
} from './computeAsInfiniteHorizonQuote.js'
export { computeAsInfiniteHorizonQuote } from './computeAsInfiniteHorizonQuote.js'
export type { ComputeAsNaturalOmegaErrorType, ComputeAsNaturalOmegaParameters } from './computeAsNaturalOmega.js'
export { computeAsNaturalOmega } from './computeAsNaturalOmega.js'
export type { ComputeAsQuoteErrorType } from './computeAsQuote.js'
export { computeAsQuote } from './computeAsQuote.js'
export type { ComputeAsQuoteIntoErrorType } from './computeAsQuoteInto.js'
export { computeAsQuoteInto } from './computeAsQuoteInto.js'
export type {
  ComputeAsReservationPriceErrorType,
  ComputeAsReservationPriceParameters,
} from './computeAsReservationPrice.js'
export { computeAsReservationPrice } from './computeAsReservationPrice.js'
export type { ComputeAsSpreadErrorType, ComputeAsSpreadParameters } from './computeAsSpread.js'
export { computeAsSpread } from './computeAsSpread.js'
export { createAsQuote } from './createAsQuote.js'
export type { AsCrossingPolicy, AsModelParameters, AsQuote, AsQuoteOptions, AsQuoteParameters } from './types.js'

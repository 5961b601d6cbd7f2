import { computeAsQuoteInto, computeGlftApproxQuotes, createAsQuote, ModelsError } from '@alp/models'
import type { ResolvedHedgerConfig } from '../config/parseHedgerConfig.js'
import type { VenueState } from '../core/types.js'

/** Quote depths from the mid, price units (δᵇ = mid − bid, δᵃ = ask − mid). */
export type ModelDepths = { bidDepthPrice: number; askDepthPrice: number }

const asScratch = createAsQuote()

/**
 * Bid/ask depths from @alp/models for one venue: GLFT closed form (`computeGlftApproxQuotes`) or finite-horizon AS
 * (`computeAsQuoteInto`), with σ from the venue's EWMA estimator and A, k from its intensity estimator (or the fixed
 * config). Returns a status string instead when the calibration is not ready (warm-up) or not usable.
 * `q` is the net exposure in order sizes (positive = long).
 */
export function computeModelDepths(
  venue: VenueState,
  midPrice: number,
  q: number,
  config: ResolvedHedgerConfig,
): ModelDepths | string {
  try {
    return modelDepths(venue, midPrice, q, config)
  } catch (error) {
    // The models reject inputs out of their domain (e.g. a quote that overflows at an extreme q) with a ModelsError
    // naming the field: the venue does not quote and says why. Anything else is a bug and propagates.
    if (error instanceof ModelsError) return `modelError: ${error.shortMessage}`
    throw error
  }
}

function modelDepths(
  venue: VenueState,
  midPrice: number,
  q: number,
  config: ResolvedHedgerConfig,
): ModelDepths | string {
  const volatility = venue.volatility.read()
  if (!volatility.ready)
    return volatility.reason === 'warmUp'
      ? `warmingUp: volatility ${volatility.incrementCount}/${volatility.neededIncrements} increments, ${volatility.historyNs / 1_000_000n}/${volatility.neededHistoryNs / 1_000_000n} ms`
      : 'warmingUp: volatility (no elapsed time)'
  const aPerSec = venue.aPerSec
  const kPerPrice = venue.kPerPrice
  if (aPerSec === null || kPerPrice === null) return venue.intensityStatus
  const sigma = volatility.sigmaPerSqrtSec
  const gamma = config.model.gammaPerPrice
  if (config.model.type === 'GLFT') {
    const quote = computeGlftApproxQuotes({
      gammaPerPrice: gamma,
      sigmaPerSqrtSec: sigma,
      aPerSec,
      kPerPrice,
      inventoryLots: q,
    })
    if (!Number.isFinite(quote.bidDepthPrice) || !Number.isFinite(quote.askDepthPrice))
      return 'modelError: non-finite GLFT depth'
    return { bidDepthPrice: quote.bidDepthPrice, askDepthPrice: quote.askDepthPrice }
  }
  const quote = computeAsQuoteInto(
    asScratch,
    { gammaPerPrice: gamma, sigmaPerSqrtTime: sigma, kPerPrice, midPrice, q, timeToHorizon: config.model.asHorizonSec },
    { crossing: 'report' },
  )
  if (!Number.isFinite(quote.bidDepth) || !Number.isFinite(quote.askDepth)) return 'modelError: non-finite AS depth'
  return { bidDepthPrice: quote.bidDepth, askDepthPrice: quote.askDepth }
}

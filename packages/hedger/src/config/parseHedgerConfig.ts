import * as v from 'valibot'
import { InvalidConfigError } from '../errors/config.js'
import { type DecimalStep, toDecimalStep } from '../venue/decimalTicks.js'
import {
  type HedgerConfig,
  type HedgerConfigInput,
  hedgerConfigSchema,
  type VenueConfig,
} from './hedgerConfigSchema.js'

/** A venue config with its grids parsed, ready for the core. */
export type ResolvedVenueConfig = VenueConfig & {
  readonly index: number
  readonly tick: DecimalStep
  readonly step: DecimalStep
  /** Tick size as a float, price units (for model inputs only). */
  readonly tickSizePrice: number
  /** Step size as a float, base units (for model inputs only). */
  readonly stepSizeBase: number
  readonly staleAfterNs: bigint
  readonly deadManRearmNs: bigint
  readonly orderAckTimeoutNs: bigint
  readonly reconcileIntervalNs: bigint
  readonly cancelRetryNs: bigint
  readonly cancelRetryMaxNs: bigint
  readonly lookupRetryNs: bigint
  readonly lookupRetryMaxNs: bigint
  /** Inverse venues: `contract.contractSizeQuote` parsed (quote units per contract); null on linear venues. */
  readonly contractSizeQuoteStep: DecimalStep | null
}

/** The validated config with defaults and derived values. */
export type ResolvedHedgerConfig = Omit<HedgerConfig, 'venues'> & {
  readonly venues: readonly ResolvedVenueConfig[]
  readonly basisSampleNs: bigint
  readonly rangeIntervalNs: bigint
  /** `hedge.lpInventoryStaleAfterMs` in ns. */
  readonly lpInventoryStaleAfterNs: bigint
}

export type ParseHedgerConfigErrorType = InvalidConfigError

/**
 * Validates a config (valibot schema), fills the defaults and derives the grids. The first issue becomes the error,
 * naming the field by its dotted path; the others are listed in `metaMessages`.
 * @throws InvalidConfigError
 */
export function parseHedgerConfig(input: HedgerConfigInput | unknown): ResolvedHedgerConfig {
  const result = v.safeParse(hedgerConfigSchema, input)
  if (!result.success) {
    const issues = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
    const first = result.issues[0]
    throw new InvalidConfigError({
      field: v.getDotPath(first) ?? '(root)',
      value: first.input,
      rule: first.message,
      issues,
    })
  }
  const config = result.output
  const venues = config.venues.map((venue, index): ResolvedVenueConfig => {
    // The schema already checked both strings; toDecimalStep cannot return null here.
    const tick = toDecimalStep(venue.tickSize) as DecimalStep
    const step = toDecimalStep(venue.stepSize) as DecimalStep
    return {
      ...venue,
      index,
      tick,
      step,
      tickSizePrice: Number(venue.tickSize),
      stepSizeBase: Number(venue.stepSize),
      staleAfterNs: BigInt(venue.staleAfterMs) * 1_000_000n,
      deadManRearmNs: BigInt(venue.deadManRearmMs) * 1_000_000n,
      orderAckTimeoutNs: BigInt(venue.orderAckTimeoutMs) * 1_000_000n,
      reconcileIntervalNs: BigInt(venue.reconcileIntervalMs) * 1_000_000n,
      cancelRetryNs: BigInt(venue.cancelRetryMs) * 1_000_000n,
      cancelRetryMaxNs: BigInt(venue.cancelRetryMaxMs) * 1_000_000n,
      lookupRetryNs: BigInt(venue.lookupRetryMs) * 1_000_000n,
      lookupRetryMaxNs: BigInt(venue.lookupRetryMaxMs) * 1_000_000n,
      contractSizeQuoteStep:
        venue.contract.type === 'inverse' ? (toDecimalStep(venue.contract.contractSizeQuote) as DecimalStep) : null,
    }
  })
  return {
    ...config,
    venues,
    basisSampleNs: BigInt(config.risk.basisSampleMs) * 1_000_000n,
    rangeIntervalNs: BigInt(config.lp.rangeIntervalMs) * 1_000_000n,
    lpInventoryStaleAfterNs: BigInt(config.hedge.lpInventoryStaleAfterMs) * 1_000_000n,
  }
}

import type { UsdPrices } from './valueInUsd.js'

/** Everything that changes an LP's PnL, as the executor observes it. Amounts are raw token units. */
export type PnlEvent =
  | {
      type: 'deposit'
      positionId: string
      tsMs: number
      /** Liquidity minted. */
      liquidity: bigint
      /** What the pool took (the mint's amount0/amount1). */
      amount0Raw: bigint
      amount1Raw: bigint
      prices: UsdPrices
    }
  | {
      type: 'withdraw'
      positionId: string
      tsMs: number
      /** Liquidity burned. */
      liquidity: bigint
      /** Principal the burn released (fees excluded). */
      amount0Raw: bigint
      amount1Raw: bigint
      prices: UsdPrices
    }
  | { type: 'collect'; positionId: string; tsMs: number; fees0Raw: bigint; fees1Raw: bigint; prices: UsdPrices }
  | {
      type: 'gas'
      tsMs: number
      /** gasUsed × effectiveGasPrice, wei of the native token. */
      gasCostWei: bigint
      /** USD per whole native token (18 decimals). */
      nativeUsdPrice: string
    }

/** Per position: outstanding liquidity and the "hold" basket it replaced (deposits minus the withdrawn share). */
export type PnlPositionState = { liquidity: bigint; hold0Raw: bigint; hold1Raw: bigint }

export type PnlState = {
  readonly decimals0: number
  readonly decimals1: number
  readonly positions: Readonly<Record<string, PnlPositionState>>
  /** Fees collected, valued at collection prices, USD. */
  readonly feesRealizedUsd: number
  /** Principal withdrawn minus the hold basket it replaced, both at withdrawal prices, USD (≤ 0: IL locked in). */
  readonly ilRealizedUsd: number
  /** Gas paid, USD at payment prices. */
  readonly gasUsd: number
  /** Value deposited / withdrawn at event prices, USD (cash-flow view). */
  readonly depositedUsd: number
  readonly withdrawnUsd: number
  readonly lastTsMs: number | null
}

/** Marks for a PnL snapshot: what each open position holds now and the fees it could collect. */
export type PnlMarks = {
  prices: UsdPrices
  positions: Readonly<Record<string, { amount0Raw: bigint; amount1Raw: bigint; fees0Raw: bigint; fees1Raw: bigint }>>
}

export type PnlSnapshot = {
  feesRealizedUsd: number
  feesUnrealizedUsd: number
  ilRealizedUsd: number
  /** Open principal minus the open hold basket, at mark prices (≤ 0). */
  ilUnrealizedUsd: number
  gasUsd: number
  /** feesRealized + ilRealized − gas. */
  realizedPnlUsd: number
  /** feesUnrealized + ilUnrealized. */
  unrealizedPnlUsd: number
  /** PnL versus holding the deposited tokens: realized + unrealized. */
  totalPnlUsd: number
  /** The open hold basket at mark prices; with positionValueUsd it gives the market move. */
  holdValueUsd: number
  positionValueUsd: number
}

/** Why the policy decided what it decided. Stable strings: branch on them, log them, count them. */
export type RebalanceReason =
  /** No position yet: mint one. */
  | 'NO_POSITION'
  /** The pool tick is outside [tickLower, tickUpper): the position earns no fees. */
  | 'PRICE_OUT_OF_RANGE'
  /** The pool tick is within the edge buffer of a range edge. */
  | 'PRICE_NEAR_EDGE'
  /** |inventory deviation from target| exceeds the threshold (and the trigger is armed). */
  | 'INVENTORY_DEVIATION'
  /** Nothing triggered. */
  | 'IN_RANGE'
  /** The deviation is above the threshold, but the trigger has not re-armed since the last rebalance (hysteresis). */
  | 'INVENTORY_TRIGGER_DISARMED'
  /** A trigger fired, but less than minIntervalMs has passed since the last rebalance. */
  | 'MIN_INTERVAL_NOT_ELAPSED'
  /** A trigger fired, but the expected gain does not cover gas × minGainToGasRatio. */
  | 'GAS_EXCEEDS_GAIN'

export type RebalancePolicyConfig = {
  /** Edge buffer as a fraction of the range width in ticks (0.1: rebalance within the outer 10 % on either side). */
  edgeBufferFraction: number
  /** |baseShare − target| above this triggers a rebalance (REBALANCE_THRESHOLD = 0.10). */
  inventoryThreshold: number
  /** Re-arm the inventory trigger only once |deviation| < inventoryThreshold − inventoryHysteresis. */
  inventoryHysteresis: number
  /** Minimum time between two rebalances, ms. */
  minIntervalMs: number
  /** Rebalance only when expectedGainUsd ≥ gasCostUsd × this ratio (1: the gain must at least pay for gas). */
  minGainToGasRatio: number
}

/** What the policy remembers between calls; create it with {@link createRebalancePolicyState}, never mutate it. */
export type RebalancePolicyState = {
  /** Time of the last rebalance the caller executed, ms; null before the first. */
  readonly lastRebalanceTsMs: number | null
  /** Whether the inventory trigger may fire (false after it fired, until the deviation falls back under the band). */
  readonly inventoryArmed: boolean
}

export type DecideRebalanceParameters = {
  /** Caller-supplied clock, ms. The policy never reads a clock. */
  nowMs: number
  /** slot0.tick. */
  tick: number
  /** The current base range; null when there is none. */
  position: { tickLower: number; tickUpper: number } | null
  /** baseShare − targetBaseShare (see computeInventoryDeviation). */
  inventoryDeviation: number
  /** The caller's estimate of what the rebalance earns over its horizon (e.g. fees regained), USD. */
  expectedGainUsd: number
  /** Gas for burn + collect + mint(s), USD. */
  gasCostUsd: number
  state: RebalancePolicyState
  config: RebalancePolicyConfig
}

export type RebalanceDecision = {
  action: 'rebalance' | 'hold'
  /** The deciding reason: the first trigger when rebalancing, otherwise why not. */
  reason: RebalanceReason
  /** Every trigger that fired (empty when none), in priority order. */
  triggers: readonly RebalanceReason[]
  /** Ticks from the pool tick to the lower / upper edge (negative when outside); null without a position. */
  distanceToLowerTicks: number | null
  distanceToUpperTicks: number | null
  /** The buffer used, in ticks. */
  edgeBufferTicks: number | null
  /** The state to pass next time, assuming the caller executes a 'rebalance' decision. */
  nextState: RebalancePolicyState
}

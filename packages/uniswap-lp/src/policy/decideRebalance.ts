import { InvalidParameterError } from '../errors/parameter.js'
import type { DecideRebalanceParameters, RebalanceDecision, RebalanceReason } from './types.js'

export type DecideRebalanceErrorType = InvalidParameterError

/**
 * Edge-triggered rebalance policy. Triggers, in priority order: no position, price out of range, price within the
 * edge buffer, inventory deviation above the threshold (armed only; hysteresis re-arms it below threshold − band).
 * A trigger becomes a 'rebalance' only when minIntervalMs has passed since the last one and the expected gain covers
 * gas × minGainToGasRatio. Pure: time is an input, the state is returned, never mutated.
 * @throws InvalidParameterError for non-finite inputs or an inconsistent config.
 */
export function decideRebalance(parameters: DecideRebalanceParameters): RebalanceDecision {
  validate(parameters)
  const { nowMs, tick, position, inventoryDeviation, expectedGainUsd, gasCostUsd, state, config } = parameters

  const triggers: RebalanceReason[] = []
  let distanceToLowerTicks: number | null = null
  let distanceToUpperTicks: number | null = null
  let edgeBufferTicks: number | null = null
  if (position === null) {
    triggers.push('NO_POSITION')
  } else {
    distanceToLowerTicks = tick - position.tickLower
    // The range is active for tickLower ≤ tick < tickUpper, so the last in-range tick is tickUpper − 1.
    distanceToUpperTicks = position.tickUpper - 1 - tick
    edgeBufferTicks = Math.floor((position.tickUpper - position.tickLower) * config.edgeBufferFraction)
    if (distanceToLowerTicks < 0 || distanceToUpperTicks < 0) triggers.push('PRICE_OUT_OF_RANGE')
    else if (Math.min(distanceToLowerTicks, distanceToUpperTicks) < edgeBufferTicks) triggers.push('PRICE_NEAR_EDGE')
  }
  const deviation = Math.abs(inventoryDeviation)
  const inventoryOver = deviation > config.inventoryThreshold
  if (inventoryOver && state.inventoryArmed) triggers.push('INVENTORY_DEVIATION')

  const rearm = deviation < config.inventoryThreshold - config.inventoryHysteresis
  const holdState = { lastRebalanceTsMs: state.lastRebalanceTsMs, inventoryArmed: state.inventoryArmed || rearm }
  const common = { triggers, distanceToLowerTicks, distanceToUpperTicks, edgeBufferTicks }
  const hold = (reason: RebalanceReason): RebalanceDecision => ({
    action: 'hold',
    reason,
    ...common,
    nextState: holdState,
  })

  const first = triggers[0]
  if (first === undefined) return hold(inventoryOver ? 'INVENTORY_TRIGGER_DISARMED' : 'IN_RANGE')
  if (first !== 'NO_POSITION') {
    if (state.lastRebalanceTsMs !== null && nowMs - state.lastRebalanceTsMs < config.minIntervalMs) {
      return hold('MIN_INTERVAL_NOT_ELAPSED')
    }
    if (expectedGainUsd < gasCostUsd * config.minGainToGasRatio) return hold('GAS_EXCEEDS_GAIN')
  }
  return {
    action: 'rebalance',
    reason: first,
    ...common,
    // After a rebalance the inventory trigger stays disarmed until the deviation is back inside the band.
    nextState: { lastRebalanceTsMs: nowMs, inventoryArmed: rearm },
  }
}

function validate(p: DecideRebalanceParameters): void {
  const finite = (field: string, value: number, rule: string, ok = true) => {
    if (!Number.isFinite(value) || !ok) throw new InvalidParameterError({ field, value, rule })
  }
  finite('nowMs', p.nowMs, 'finite')
  if (!Number.isInteger(p.tick)) throw new InvalidParameterError({ field: 'tick', value: p.tick, rule: 'an integer' })
  finite('inventoryDeviation', p.inventoryDeviation, 'in [-1, 1]', Math.abs(p.inventoryDeviation) <= 1)
  finite('expectedGainUsd', p.expectedGainUsd, 'finite')
  finite('gasCostUsd', p.gasCostUsd, 'finite and >= 0', p.gasCostUsd >= 0)
  const c = p.config
  finite(
    'config.edgeBufferFraction',
    c.edgeBufferFraction,
    'in [0, 0.5)',
    c.edgeBufferFraction >= 0 && c.edgeBufferFraction < 0.5,
  )
  finite(
    'config.inventoryThreshold',
    c.inventoryThreshold,
    'in (0, 1]',
    c.inventoryThreshold > 0 && c.inventoryThreshold <= 1,
  )
  finite(
    'config.inventoryHysteresis',
    c.inventoryHysteresis,
    'in [0, inventoryThreshold)',
    c.inventoryHysteresis >= 0 && c.inventoryHysteresis < c.inventoryThreshold,
  )
  finite('config.minIntervalMs', c.minIntervalMs, 'finite and >= 0', c.minIntervalMs >= 0)
  finite('config.minGainToGasRatio', c.minGainToGasRatio, 'finite and >= 0', c.minGainToGasRatio >= 0)
  if (p.position !== null && !(p.position.tickLower < p.position.tickUpper)) {
    throw new InvalidParameterError({ field: 'position', value: p.position, rule: 'tickLower < tickUpper' })
  }
  if (p.state.lastRebalanceTsMs !== null && p.state.lastRebalanceTsMs > p.nowMs) {
    throw new InvalidParameterError({
      field: 'state.lastRebalanceTsMs',
      value: p.state.lastRebalanceTsMs,
      rule: `<= nowMs (${p.nowMs})`,
      next: 'pass a monotonic clock; the last rebalance cannot be in the future.',
    })
  }
}

import { InvalidParameterError } from '../errors/parameter.js'
import { GasExceedsGainError } from '../errors/rebalance.js'
import type { GasVsGain, RebalancePlan } from './types.js'

/**
 * Gas units per step used by the gas-vs-gain check when the caller gives none: measured on the real v3 contracts
 * (anvil): the close multicall ≈ 150–190k, exactInputSingle ≈ 110–130k, a mint that initializes both ticks ≈ 380–480k;
 * rounded up.
 */
export const DEFAULT_STEP_GAS: Readonly<Record<'close' | 'swap' | 'mint', bigint>> = {
  close: 200_000n,
  swap: 150_000n,
  mint: 500_000n,
}

/** Gas units of the plan's steps that are not done yet. */
export function estimatePlanGas(plan: RebalancePlan, stepGas?: GasVsGain['stepGas']): bigint {
  let total = 0n
  for (const step of plan.steps) {
    if (step.status === 'done' || step.status === 'skipped') continue
    total += stepGas?.[step.kind] ?? DEFAULT_STEP_GAS[step.kind]
  }
  return total
}

export type CheckGasVsGainReturnType = { gasUnits: bigint; gasCostWei: bigint; expectedGainWei: bigint }

/**
 * Pure: throws `GasExceedsGainError` (carrying both numbers) when expectedGainWei < gas × fee × minGainToGasRatio.
 */
export function checkGasVsGain(p: {
  plan: RebalancePlan
  feePerGasWei: bigint
  gasVsGain: GasVsGain
}): CheckGasVsGainReturnType {
  const ratio = p.gasVsGain.minGainToGasRatio ?? 1
  if (!Number.isFinite(ratio) || ratio < 0) {
    throw new InvalidParameterError({ field: 'minGainToGasRatio', value: ratio, rule: 'a finite number ≥ 0' })
  }
  const gasUnits = estimatePlanGas(p.plan, p.gasVsGain.stepGas)
  const gasCostWei = gasUnits * p.feePerGasWei
  // ratio in millionths, so the comparison stays in integers.
  const needed = (gasCostWei * BigInt(Math.round(ratio * 1e6))) / 1_000_000n
  if (p.gasVsGain.expectedGainWei < needed) {
    throw new GasExceedsGainError({
      expectedGainWei: p.gasVsGain.expectedGainWei,
      gasCostWei,
      gasUnits,
      feePerGasWei: p.feePerGasWei,
      minGainToGasRatio: ratio,
    })
  }
  return { gasUnits, gasCostWei, expectedGainWei: p.gasVsGain.expectedGainWei }
}

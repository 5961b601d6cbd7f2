import type { BlockTag, Provider } from 'ethers'
import { callContract } from './callContract.js'
import { poolInterface } from './interfaces.js'

/** `Tick.Info` of one tick (all zero when the tick is not initialized). */
export type TickInfo = {
  readonly tick: number
  readonly liquidityGross: bigint
  readonly liquidityNet: bigint
  readonly feeGrowthOutside0X128: bigint
  readonly feeGrowthOutside1X128: bigint
  readonly tickCumulativeOutside: bigint
  readonly secondsPerLiquidityOutsideX128: bigint
  readonly secondsOutside: number
  readonly initialized: boolean
}

export type ReadTickErrorType = import('../errors/chain.js').ChainReadError

/** `pool.ticks(tick)`. */
export async function readTick(provider: Provider, pool: string, tick: number, blockTag?: BlockTag): Promise<TickInfo> {
  const r = await callContract(provider, {
    to: pool,
    iface: poolInterface,
    functionName: 'ticks',
    args: [tick],
    blockTag,
  })
  return {
    tick,
    liquidityGross: BigInt(r.liquidityGross),
    liquidityNet: BigInt(r.liquidityNet),
    feeGrowthOutside0X128: BigInt(r.feeGrowthOutside0X128),
    feeGrowthOutside1X128: BigInt(r.feeGrowthOutside1X128),
    tickCumulativeOutside: BigInt(r.tickCumulativeOutside),
    secondsPerLiquidityOutsideX128: BigInt(r.secondsPerLiquidityOutsideX128),
    secondsOutside: Number(r.secondsOutside),
    initialized: Boolean(r.initialized),
  }
}

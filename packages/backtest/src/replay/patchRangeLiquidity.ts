import type { PoolSimulator } from '../pool/poolSimulator.js'
import { flipTick } from '../pool/tickBitmap.js'

/**
 * Adds `liquidityDelta` of ownerless "background" liquidity to [tickLower, tickUpper) of a replayed pool: it changes
 * liquidityNet at both ticks (initializing them in the bitmap) and the active liquidity when the range holds the
 * current tick, exactly as a mint or burn would, but without a position (nobody earns its fees). This is how the replay
 * represents liquidity that existed before the data starts. liquidityGross only grows here (the ticks stay
 * initialized), so a tick with net 0 is harmless: a swap crosses it with no change.
 * `tickUpper` may be `undefined` for a single-tick patch of liquidityNet (see inferLiquidityNet).
 */
export function patchRangeLiquidity(
  pool: PoolSimulator,
  tickLower: number,
  tickUpper: number,
  liquidityDelta: bigint,
): void {
  patchTick(pool, tickLower, liquidityDelta)
  patchTick(pool, tickUpper, -liquidityDelta)
  const tick = pool.slot0.tick
  if (tickLower <= tick && tick < tickUpper) pool.liquidity += liquidityDelta
}

/** Adds `netDelta` to liquidityNet of one tick (initializing it with fee growth outside per the pool's rule). */
export function patchTick(pool: PoolSimulator, tick: number, netDelta: bigint): void {
  let info = pool.ticks.get(tick)
  if (info === undefined) {
    const below = tick <= pool.slot0.tick
    info = {
      liquidityGross: 0n,
      liquidityNet: 0n,
      feeGrowthOutside0X128: below ? pool.feeGrowthGlobal0X128 : 0n,
      feeGrowthOutside1X128: below ? pool.feeGrowthGlobal1X128 : 0n,
      initialized: true,
    }
    pool.ticks.set(tick, info)
    flipTick(pool.tickBitmap, tick, pool.tickSpacing)
  }
  info.liquidityNet += netDelta
  info.liquidityGross += netDelta < 0n ? -netDelta : netDelta
  if (info.liquidityNet === 0n) clearUnusedTick(pool, tick)
}

/**
 * Un-initializes a tick whose liquidityNet is 0 and that no position (with liquidity) of the simulated pool uses as a
 * bound. Background patches only add to liquidityGross, so without this a tick that the real pool cleared (its last
 * position burned) would stay initialized in the replay, and a swap through it would take one more step than the real
 * one (each step rounds its input up: a few wei off the record).
 */
export function clearUnusedTick(pool: PoolSimulator, tick: number): void {
  const info = pool.ticks.get(tick)
  if (info === undefined || info.liquidityNet !== 0n) return
  for (const [key, position] of pool.positions) {
    if (position.liquidity === 0n) continue
    const upperAt = key.lastIndexOf(':')
    const lowerAt = key.lastIndexOf(':', upperAt - 1)
    if (Number(key.slice(lowerAt + 1, upperAt)) === tick || Number(key.slice(upperAt + 1)) === tick) return
  }
  pool.ticks.delete(tick)
  flipTick(pool.tickBitmap, tick, pool.tickSpacing)
}

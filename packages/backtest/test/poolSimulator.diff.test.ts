import { getSqrtRatioAtTick } from '@alp/uniswap-lp'
import {
  type CreatedPool,
  createPool,
  deployTestToken,
  fundAccount,
  type LocalChain,
  loadUniswapArtifact,
  sendLocalTransaction,
  startLocalChain,
} from '@alp/venue-sim/chain'
import { Interface, solidityPackedKeccak256 } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProgressReporter } from '../src/cli/createProgressReporter.js'
import { PoolRevertError } from '../src/errors/pool.js'
import { PoolSimulator } from '../src/pool/poolSimulator.js'
import { mulberry32 } from './src/mulberry32.js'

/**
 * Differential test: the same seeded random sequence of mints, burns, swaps (both directions, exact input and exact
 * output, with and without price limits, some invalid), pokes, collects and protocol-fee changes goes to the REAL
 * UniswapV3Pool on anvil (through the real NonfungiblePositionManager and SwapRouter) and to PoolSimulator. After every
 * step every state field is compared to the wei: slot0 (price, tick, feeProtocol), liquidity, feeGrowthGlobal0/1,
 * protocolFees, ticks() of every tick ever used, positions() of every range ever used, tickBitmap words, and the
 * event amounts. ALP_DIFF_STEPS (default 300) and ALP_DIFF_SEED (default 1) set the length and the sequence.
 */
const STEPS = Number(process.env.ALP_DIFF_STEPS ?? '300')
const SEED = Number(process.env.ALP_DIFF_SEED ?? '1')
const MAX_UINT128 = (1n << 128n) - 1n
const MIN_SQRT_RATIO = 4295128739n
const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n

const poolAbi = new Interface(loadUniswapArtifact('UniswapV3Pool').abi)
const npmAbi = new Interface(loadUniswapArtifact('NonfungiblePositionManager').abi)
const routerAbi = new Interface(loadUniswapArtifact('SwapRouter').abi)

type Receipt = Awaited<ReturnType<typeof sendLocalTransaction>>

function poolEvent(receipt: Receipt, pool: string, name: string) {
  const topic = poolAbi.getEvent(name)!.topicHash
  const logs = receipt.logs.filter((l) => l.address.toLowerCase() === pool.toLowerCase() && l.topics[0] === topic)
  return logs.map((l) => poolAbi.decodeEventLog(name, l.data, l.topics))
}

describe(`PoolSimulator vs the real UniswapV3Pool on anvil (${STEPS} steps, seed ${SEED})`, () => {
  let chain: LocalChain
  let pool: CreatedPool
  let user: string
  const sim = new PoolSimulator({ feePips: 500, tickSpacing: 10 })
  const rand = mulberry32(SEED)
  const ranges: { tickLower: number; tickUpper: number }[] = []
  const tokens: { tokenId: bigint; tickLower: number; tickUpper: number; liquidity: bigint }[] = []
  const ticksUsed = new Set<number>()
  const tally: Record<string, number> = {}
  let lastTouched: number[] = []

  beforeAll(async () => {
    chain = await startLocalChain()
    user = chain.accounts[1]!
    const tokenA = await deployTestToken(chain, { name: 'A', symbol: 'A', decimals: 18 })
    const tokenB = await deployTestToken(chain, { name: 'B', symbol: 'B', decimals: 18 })
    pool = await createPool(chain, { tokenA, tokenB, feePips: 500, sqrtPriceX96: getSqrtRatioAtTick(23) + 12345n })
    for (const token of [tokenA, tokenB]) await fundAccount(chain, { token, account: user, amountRaw: 10n ** 40n })
    sim.initialize(pool.sqrtPriceX96)
  })

  afterAll(async () => {
    await chain?.stop()
  })

  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const randomBig = (lo: number, hi: number): bigint => {
    // 10^U(lo,hi), then a random 6-digit mantissa: spreads amounts over many magnitudes.
    const exp = lo + Math.floor(rand() * (hi - lo))
    return BigInt(Math.floor(rand() * 900_000) + 100_000) * 10n ** BigInt(Math.max(0, exp - 6))
  }
  const randomTick = (around: number, width: number): number =>
    Math.round((around + (rand() * 2 - 1) * width) / 10) * 10

  async function send(to: string, data: string, label: string, from = user): Promise<Receipt | Error> {
    try {
      return await sendLocalTransaction(chain.provider, { from, to, data }, label)
    } catch (error) {
      return error as Error
    }
  }

  function simulate<T>(fn: () => T): T | Error {
    try {
      return fn()
    } catch (error) {
      if (!(error instanceof PoolRevertError)) throw error
      return error
    }
  }

  async function call(fn: string, args: unknown[]) {
    const data = poolAbi.encodeFunctionData(fn, args)
    return poolAbi.decodeFunctionResult(fn, await chain.provider.call({ to: pool.pool, data }))
  }

  async function compareState(
    step: number,
    what: string,
    only?: { ticks: number[]; ranges: typeof ranges },
  ): Promise<void> {
    const where = `step ${step} (${what})`
    const [slot0, liquidity, fg0, fg1, protocolFees] = await Promise.all([
      call('slot0', []),
      call('liquidity', []),
      call('feeGrowthGlobal0X128', []),
      call('feeGrowthGlobal1X128', []),
      call('protocolFees', []),
    ])
    expect({
      where,
      sqrtPriceX96: sim.slot0.sqrtPriceX96,
      tick: sim.slot0.tick,
      feeProtocol: sim.slot0.feeProtocol,
    }).toEqual({
      where,
      sqrtPriceX96: slot0[0] as bigint,
      tick: Number(slot0[1]),
      feeProtocol: Number(slot0[5]),
    })
    expect({ where, liquidity: sim.liquidity, fg0: sim.feeGrowthGlobal0X128, fg1: sim.feeGrowthGlobal1X128 }).toEqual({
      where,
      liquidity: liquidity[0] as bigint,
      fg0: fg0[0] as bigint,
      fg1: fg1[0] as bigint,
    })
    expect({ where, p0: sim.protocolFees.token0, p1: sim.protocolFees.token1 }).toEqual({
      where,
      p0: protocolFees[0] as bigint,
      p1: protocolFees[1] as bigint,
    })
    const tickList = only ? only.ticks.filter((t) => ticksUsed.has(t)) : [...ticksUsed]
    const rangeList = only ? only.ranges : ranges
    const chainTicks = await Promise.all(tickList.map((t) => call('ticks', [t])))
    tickList.forEach((t, i) => {
      const c = chainTicks[i]!
      const s = sim.getTick(t)
      expect({ where, tick: t, ...s }).toEqual({
        where,
        tick: t,
        liquidityGross: c[0] as bigint,
        liquidityNet: c[1] as bigint,
        feeGrowthOutside0X128: c[2] as bigint,
        feeGrowthOutside1X128: c[3] as bigint,
        initialized: c[7] as boolean,
      })
    })
    const words = [...new Set(tickList.map((t) => (t / 10) >> 8))]
    const chainWords = await Promise.all(words.map((w) => call('tickBitmap', [w])))
    words.forEach((w, i) => {
      expect({ where, word: w, bits: sim.getTickBitmapWord(w) }).toEqual({
        where,
        word: w,
        bits: chainWords[i]![0] as bigint,
      })
    })
    const npm = chain.uniswap.positionManager
    const chainPositions = await Promise.all(
      rangeList.map((r) =>
        call('positions', [solidityPackedKeccak256(['address', 'int24', 'int24'], [npm, r.tickLower, r.tickUpper])]),
      ),
    )
    rangeList.forEach((r, i) => {
      const c = chainPositions[i]!
      expect({ where, ...r, ...sim.getPosition(npm, r.tickLower, r.tickUpper) }).toEqual({
        where,
        ...r,
        liquidity: c[0] as bigint,
        feeGrowthInside0LastX128: c[1] as bigint,
        feeGrowthInside1LastX128: c[2] as bigint,
        tokensOwed0: c[3] as bigint,
        tokensOwed1: c[4] as bigint,
      })
    })
  }

  async function mint(step: number): Promise<string> {
    const fullRange = rand() < 0.1
    let tickLower = fullRange ? -887270 : randomTick(sim.slot0.tick, 3000)
    let tickUpper = fullRange ? 887270 : randomTick(sim.slot0.tick, 3000)
    if (tickLower === tickUpper) tickUpper += 10
    if (tickLower > tickUpper) [tickLower, tickUpper] = [tickUpper, tickLower]
    const data = npmAbi.encodeFunctionData('mint', [
      {
        token0: pool.token0,
        token1: pool.token1,
        fee: 500,
        tickLower,
        tickUpper,
        amount0Desired: randomBig(15, 22),
        amount1Desired: randomBig(15, 22),
        amount0Min: 0n,
        amount1Min: 0n,
        recipient: user,
        deadline: 2n ** 48n,
      },
    ])
    const receipt = await send(chain.uniswap.positionManager, data, 'mint')
    if (receipt instanceof Error) return 'mint reverted on chain (both sides skip)'
    const [event] = poolEvent(receipt, pool.pool, 'Mint')
    const amount = event!.amount as bigint
    const result = sim.mint(chain.uniswap.positionManager, tickLower, tickUpper, amount)
    expect({ step, amount0: result.amount0, amount1: result.amount1 }).toEqual({
      step,
      amount0: event!.amount0 as bigint,
      amount1: event!.amount1 as bigint,
    })
    const increase = npmAbi.decodeEventLog(
      'IncreaseLiquidity',
      receipt.logs.find((l) => l.topics[0] === npmAbi.getEvent('IncreaseLiquidity')!.topicHash)!.data,
      receipt.logs.find((l) => l.topics[0] === npmAbi.getEvent('IncreaseLiquidity')!.topicHash)!.topics,
    )
    tokens.push({ tokenId: increase.tokenId as bigint, tickLower, tickUpper, liquidity: amount })
    lastTouched = [tickLower, tickUpper]
    if (!ranges.some((r) => r.tickLower === tickLower && r.tickUpper === tickUpper))
      ranges.push({ tickLower, tickUpper })
    ticksUsed.add(tickLower)
    ticksUsed.add(tickUpper)
    return `mint [${tickLower}, ${tickUpper}) L=${amount}`
  }

  async function burn(step: number): Promise<string> {
    const live = tokens.filter((t) => t.liquidity > 0n)
    if (live.length === 0) return mint(step)
    const token = pick(live)
    const amount = rand() < 0.3 ? token.liquidity : (token.liquidity * BigInt(Math.floor(rand() * 1000) + 1)) / 1000n
    const data = npmAbi.encodeFunctionData('decreaseLiquidity', [
      { tokenId: token.tokenId, liquidity: amount, amount0Min: 0n, amount1Min: 0n, deadline: 2n ** 48n },
    ])
    const receipt = await send(chain.uniswap.positionManager, data, 'decreaseLiquidity')
    if (receipt instanceof Error) throw receipt
    const [event] = poolEvent(receipt, pool.pool, 'Burn')
    const result = sim.burn(chain.uniswap.positionManager, token.tickLower, token.tickUpper, amount)
    expect({ step, amount0: result.amount0, amount1: result.amount1 }).toEqual({
      step,
      amount0: event!.amount0 as bigint,
      amount1: event!.amount1 as bigint,
    })
    token.liquidity -= amount
    lastTouched = [token.tickLower, token.tickUpper]
    return `burn token ${token.tokenId} L=${amount}`
  }

  async function collect(step: number): Promise<string> {
    if (tokens.length === 0) return mint(step)
    const token = pick(tokens)
    const data = npmAbi.encodeFunctionData('collect', [
      { tokenId: token.tokenId, recipient: user, amount0Max: MAX_UINT128, amount1Max: MAX_UINT128 },
    ])
    const receipt = await send(chain.uniswap.positionManager, data, 'collect')
    if (receipt instanceof Error) throw receipt
    const npm = chain.uniswap.positionManager
    // The position manager pokes the pool position (burn 0) when it has liquidity, then collects what it owes the token.
    const pokes = poolEvent(receipt, pool.pool, 'Burn')
    if (pokes.length > 0) sim.burn(npm, token.tickLower, token.tickUpper, 0n)
    const [event] = poolEvent(receipt, pool.pool, 'Collect')
    const requested0 = event!.amount0 as bigint
    const requested1 = event!.amount1 as bigint
    // The manager's own per-token ledger decides the requested amounts; the pool pays min(requested, tokensOwed).
    const result = sim.collect(npm, token.tickLower, token.tickUpper, requested0, requested1)
    expect({ step, amount0: result.amount0, amount1: result.amount1 }).toEqual({
      step,
      amount0: requested0,
      amount1: requested1,
    })
    lastTouched = [token.tickLower, token.tickUpper]
    return `collect token ${token.tokenId}`
  }

  async function swap(step: number): Promise<string> {
    const zeroForOne = rand() < 0.5
    const exactInput = rand() < 0.5
    const [tokenIn, tokenOut] = zeroForOne ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
    const amount = randomBig(12, 22)
    // Limit: none (router default), a price a few hundred ticks away, or (rarely) on the wrong side: must revert 'SPL'.
    const mode = rand()
    let limit = 0n
    if (mode < 0.5) {
      const ticksAway = Math.floor(rand() * 800) + 1
      const target = sim.slot0.tick + (zeroForOne ? -ticksAway : ticksAway)
      limit = getSqrtRatioAtTick(Math.max(-887272, Math.min(887272, target))) + BigInt(Math.floor(rand() * 1000))
    } else if (mode < 0.55) {
      limit = zeroForOne ? sim.slot0.sqrtPriceX96 + 1n : sim.slot0.sqrtPriceX96 - 1n
    }
    const data = exactInput
      ? routerAbi.encodeFunctionData('exactInputSingle', [
          {
            tokenIn,
            tokenOut,
            fee: 500,
            recipient: user,
            deadline: 2n ** 48n,
            amountIn: amount,
            amountOutMinimum: 0n,
            sqrtPriceLimitX96: limit,
          },
        ])
      : routerAbi.encodeFunctionData('exactOutputSingle', [
          {
            tokenIn,
            tokenOut,
            fee: 500,
            recipient: user,
            deadline: 2n ** 48n,
            amountOut: amount,
            amountInMaximum: 2n ** 255n,
            sqrtPriceLimitX96: limit,
          },
        ])
    const receipt = await send(chain.uniswap.swapRouter, data, exactInput ? 'exactInputSingle' : 'exactOutputSingle')
    const effectiveLimit = limit !== 0n ? limit : zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n
    const before = sim.clone()
    const result = simulate(() => sim.swap(zeroForOne, exactInput ? amount : -amount, effectiveLimit))
    const label = `swap ${zeroForOne ? '0→1' : '1→0'} ${exactInput ? 'exactIn' : 'exactOut'} ${amount} limit ${limit}`
    if (receipt instanceof Error) {
      // The router rejects an exact-output swap that could not be filled without a limit ('Too little received' is
      // not in play: amountOutMinimum is 0); the pool reverts 'SPL' for a bad limit. The simulator must agree unless
      // the revert was the router's own exact-output check.
      if (result instanceof Error) return `${label}: both reverted (${(result as PoolRevertError).revertReason})`
      expect(
        !exactInput && limit === 0n,
        `${where(step)} chain reverted (${receipt.message.split('\n')[0]}) but the simulator swapped`,
      ).toBe(true)
      restore(before)
      return `${label}: router rejected a partial exact-output fill`
    }
    expect(result instanceof Error ? result.message : 'ok', `${where(step)} ${label}`).toBe('ok')
    const [event] = poolEvent(receipt, pool.pool, 'Swap')
    const swapResult = result as Exclude<typeof result, Error>
    expect({
      step,
      amount0: swapResult.amount0,
      amount1: swapResult.amount1,
      sqrtPriceX96: swapResult.sqrtPriceX96,
      liquidity: swapResult.liquidity,
      tick: swapResult.tick,
    }).toEqual({
      step,
      amount0: event!.amount0 as bigint,
      amount1: event!.amount1 as bigint,
      sqrtPriceX96: event!.sqrtPriceX96 as bigint,
      liquidity: event!.liquidity as bigint,
      tick: Number(event!.tick),
    })
    tally.ticksCrossed = (tally.ticksCrossed ?? 0) + swapResult.ticksCrossed
    return label
  }

  function restore(snapshot: PoolSimulator): void {
    Object.assign(sim.slot0, snapshot.slot0)
    sim.liquidity = snapshot.liquidity
    sim.feeGrowthGlobal0X128 = snapshot.feeGrowthGlobal0X128
    sim.feeGrowthGlobal1X128 = snapshot.feeGrowthGlobal1X128
    Object.assign(sim.protocolFees, snapshot.protocolFees)
    sim.ticks.clear()
    for (const [k, v] of snapshot.ticks) sim.ticks.set(k, v)
    sim.tickBitmap.clear()
    for (const [k, v] of snapshot.tickBitmap) sim.tickBitmap.set(k, v)
    sim.positions.clear()
    for (const [k, v] of snapshot.positions) sim.positions.set(k, v)
  }

  const where = (step: number) => `step ${step}:`

  async function protocolFee(): Promise<string> {
    const choices = [0, 4, 5, 6, 7, 8, 9, 10]
    const f0 = pick(choices)
    const f1 = pick(choices)
    const receipt = await send(
      pool.pool,
      poolAbi.encodeFunctionData('setFeeProtocol', [f0, f1]),
      'setFeeProtocol',
      chain.accounts[0],
    )
    if (receipt instanceof Error) throw receipt
    sim.setFeeProtocol(f0, f1)
    return `setFeeProtocol ${f0} ${f1}`
  }

  async function collectProtocol(step: number): Promise<string> {
    const r0 = rand() < 0.5 ? MAX_UINT128 : sim.protocolFees.token0 / 2n
    const r1 = rand() < 0.5 ? MAX_UINT128 : sim.protocolFees.token1 / 3n
    const receipt = await send(
      pool.pool,
      poolAbi.encodeFunctionData('collectProtocol', [user, r0, r1]),
      'collectProtocol',
      chain.accounts[0],
    )
    if (receipt instanceof Error) throw receipt
    const [event] = poolEvent(receipt, pool.pool, 'CollectProtocol')
    const result = sim.collectProtocol(r0, r1)
    expect({ step, ...result }).toEqual({ step, amount0: event!.amount0 as bigint, amount1: event!.amount1 as bigint })
    return 'collectProtocol'
  }

  it(
    'agrees with the contract on every state field and event after every step',
    async () => {
      await compareState(0, 'initialize')
      // A long run (ALP_DIFF_STEPS=5000 takes minutes) says it is alive: plain lines on stderr every 10 % or 5 s.
      const progress = createProgressReporter({
        label: 'diff',
        total: STEPS,
        unit: 'steps',
        stream: { write: (text: string) => process.stderr.write(text) },
      })
      for (let step = 1; step <= STEPS; step++) {
        progress.update(step - 1)
        const r = rand()
        const tickBefore = sim.slot0.tick
        let what: string
        if (step <= 6)
          what = await mint(step) // some liquidity first
        else if (r < 0.45) what = await swap(step)
        else if (r < 0.65) what = await mint(step)
        else if (r < 0.8) what = await burn(step)
        else if (r < 0.93) what = await collect(step)
        else if (r < 0.97) what = await protocolFee()
        else what = await collectProtocol(step)
        const kind = what.split(' ')[0]!
        tally[kind] = (tally[kind] ?? 0) + 1
        // Every step: slot0, liquidity, fee growth, protocol fees and the ticks/positions the step could change (the
        // range it touched; for swaps every tick between the old and new price). Every 10th step and the last: all.
        const tickNow = sim.slot0.tick
        const lo = Math.min(tickBefore, tickNow) - 10
        const hi = Math.max(tickBefore, tickNow) + 10
        const touched = [...ticksUsed].filter((t) => (t >= lo && t <= hi) || lastTouched.includes(t))
        const touchedRanges = ranges.filter(
          (x) => lastTouched.includes(x.tickLower) && lastTouched.includes(x.tickUpper),
        )
        if (step % 10 === 0 || step === STEPS) await compareState(step, what)
        else await compareState(step, what, { ticks: touched, ranges: touchedRanges })
        lastTouched = []
      }
      // The sequence exercised every operation and crossed initialized ticks (otherwise the test proves little).
      for (const kind of ['swap', 'mint', 'burn', 'collect']) expect(tally[kind] ?? 0, kind).toBeGreaterThan(0)
      expect(tally.ticksCrossed ?? 0).toBeGreaterThan(0)
    },
    30_000 + STEPS * 1_000,
  )
})

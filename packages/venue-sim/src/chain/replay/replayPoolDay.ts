import { getCreateAddress, Interface, MaxUint256, toBeHex } from 'ethers'
import { loadTestErc20Artifact, loadUniswapArtifact } from '../artifacts.js'
import { type CreatedPool, createPool } from '../createPool.js'
import { deployContract } from '../deployContract.js'
import { deployTestToken } from '../deployTestToken.js'
import type { LocalChain } from '../localChain.js'
import { sendLocalTransaction } from '../sendLocalTransaction.js'
import { detectStaleLiquidityRows, type StaleLiquidityRow } from './detectStaleLiquidityRows.js'
import { ChainReplayError } from './errors.js'
import { sendJsonRpcBatch } from './jsonRpcBatch.js'
import { type BackgroundLiquidityPlan, planBackgroundLiquidity } from './planBackgroundLiquidity.js'
import type { PoolEvent } from './readPoolEvents.js'
import { loadReplayLiquidityArtifact } from './replayLiquidityArtifact.js'

/**
 * A clock that reads record time (ms since the epoch, the data's time), such as `createReplayClock` or a manual test
 * clock: a block is mined once `nowMs()` reaches its recorded timestamp.
 */
export type ReplayClockLike = {
  nowMs(): number
  /** Resolves once `nowMs()` ≥ `ms`; without it the replayer polls `nowMs()` every few ms. */
  sleepUntil?(ms: number): Promise<void> | void
}

export type ReplayPoolDayParameters = {
  chain: LocalChain
  /** One pool day in file order (`readPoolEvents`); a prefix of a day (e.g. the first 300 rows) works too. */
  events: readonly PoolEvent[]
  /**
   * Paces the blocks on a record-time clock (e.g. `createReplayClock({ startMs, speed })`, shared with the emulators
   * of a paper run): each block waits until `clock.nowMs()` ≥ its recorded timestamp. Blocks the clock has already
   * passed go at once. Omitted (and no `speed`): as fast as possible.
   */
  clock?: ReplayClockLike | undefined
  /**
   * Without `clock`: paces the blocks at `speed` × the record's time on the system clock, starting at the first block
   * at or after `from`. Ignored when a `clock` is given (the clock has its own speed).
   */
  speed?: number | undefined
  /** Record time (ms since the epoch, or a Date) where pacing starts; earlier events replay at full speed first. */
  from?: number | Date | undefined
  /** Record time where the replay stops (exclusive). */
  to?: number | Date | undefined
  /** Called for each event once its block is mined. */
  onEvent?: ((progress: ReplayEventProgress) => void) | undefined
  /**
   * Sends every transaction and owns the background LP contract (default: the chain's last account, `accounts[9]`).
   * Its nonces are kept locally: nobody else may send from it during the replay.
   */
  account?: string | undefined
  /** Whole seconds added to every record timestamp; default: 0 when the chain is still before the day, else whole days. */
  timestampShiftSec?: number | undefined
  /**
   * Extra input on top of the recorded amount, in millionths of it (default 0: the recorded amount exactly). The price
   * limit still ends the swap at the recorded price, so the local amounts stay those the pool needs to get there; a
   * few pips let a swap catch up when the local price is a rounding step behind (see the report's numbers in the docs).
   */
  amountInSlackPips?: number | undefined
  /**
   * How a SWAP is sent. `'recordedAmount'` (default): the recorded input (+ `amountInSlackPips`) with the recorded
   * post-swap price as the limit: extra liquidity in the pool (a position of the caller's) makes that amount move the
   * price less than on mainnet. `'exact'`: an input far above any need (10²⁷ base units) with the same limit: the pool
   * stops at the limit and the router charges only what the pool used, so every swap ends on the recorded price
   * whatever liquidity the caller added; the local amounts then differ from the record by what that liquidity
   * absorbed (the backtester's pool replay follows the recorded price path the same way).
   */
  priceTarget?: 'recordedAmount' | 'exact' | undefined
  /** Pool fee tier and tick spacing (default 500 / 10, the USDC/WETH 0.05 % pool of the data files). */
  feePips?: number | undefined
}

export type ReplayEventStatus =
  /** Sent and mined with status 1. */
  | 'sent'
  /** The transaction was mined with status 0 (a swap whose price limit was already passed on the local pool). */
  | 'reverted'
  /** No transaction: COLLECT (the background LP collects on burn), a zero-liquidity BURN, a swap that moves no price. */
  | 'no-transaction'

export type ReplayedSwap = {
  readonly amount0Raw: bigint
  readonly amount1Raw: bigint
  readonly sqrtPriceX96: bigint
  readonly liquidity: bigint
  readonly tick: number
  readonly exactPrice: boolean
}

export type ReplayEventProgress = {
  readonly index: number
  readonly total: number
  readonly event: PoolEvent
  readonly status: ReplayEventStatus
  readonly chainBlockNumber: number
  readonly chainTimestampSec: number
  readonly transactionHash: string | undefined
  /** SWAP rows that were sent: the local pool's Swap event. */
  readonly swap: ReplayedSwap | undefined
}

export type ReplayPoolDaySetup = {
  readonly pool: CreatedPool
  /** 6-decimal USDC stand-in (token0) and 18-decimal WETH stand-in (token1). */
  readonly usdc: string
  readonly weth: string
  /** The background LP contract (ReplayLiquidity) holding every seeded and replayed position. */
  readonly backgroundLp: string
  readonly account: string
  /** The SwapRouter every replayed swap goes through. */
  readonly swapRouter: string
  readonly timestampShiftSec: number
  readonly plan: BackgroundLiquidityPlan
  readonly staleLiquidityRows: readonly StaleLiquidityRow[]
}

export type AmountDifference = {
  /** Largest |local − recorded| in token base units over the sent swaps. */
  readonly max: bigint
  readonly median: bigint
  /** Swaps whose amount equals the record exactly. */
  readonly exact: number
}

export type ReplayPoolDayReport = {
  readonly events: number
  readonly blocks: number
  readonly swapsInRecord: number
  readonly swapsSent: number
  readonly swapsReverted: number
  readonly swapsWithoutTransaction: number
  /** Sent swaps whose post-swap sqrtPriceX96 equals the record to the unit. */
  readonly swapsExactPrice: number
  /** Largest |local − recorded| / recorded of the post-swap sqrtPriceX96 (0 when every price is exact). */
  readonly maxPriceRelativeDifference: number
  readonly amount0Difference: AmountDifference
  readonly amount1Difference: AmountDifference
  readonly mintsSent: number
  readonly burnsSent: number
  readonly staleLiquidityRows: readonly StaleLiquidityRow[]
  readonly timestampShiftSec: number
  readonly durationMs: number
  /** `stop()` was called before the last event. */
  readonly stopped: boolean
}

export type PoolDayReplay = {
  /** Resolves once the pool exists and the background liquidity is seeded (before the first event is sent). */
  readonly ready: Promise<ReplayPoolDaySetup>
  /** Resolves with the report after the last event (or after `stop()`). */
  readonly done: Promise<ReplayPoolDayReport>
  /** Holds the replay before the next block; the chain stays as it is (automine stays off). */
  pause(): void
  resume(): void
  /** Ends the replay after the block in flight; `done` then resolves with `stopped: true`. */
  stop(): void
  /** Events replayed so far (mined) and in range. */
  progress(): { readonly replayed: number; readonly total: number; readonly paused: boolean }
}

export type ReplayPoolDayErrorType =
  | ChainReplayError
  | import('../../errors/chain.js').ChainRpcError
  | import('../../errors/chain.js').ChainTransactionRevertedError

const SWAP_GAS = 3_000_000n
const LIQUIDITY_GAS = 1_000_000n
const TOKEN_SUPPLY = 10n ** 30n
const MIN_SQRT_RATIO = 4295128739n
const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n
const DAY_SEC = 86_400
/** `priceTarget: 'exact'`: the input sent with every swap (the sender holds 10³⁰; the pool takes only what it uses). */
const EXACT_PRICE_AMOUNT_IN = 10n ** 27n

const erc20 = new Interface(loadTestErc20Artifact().abi)
const router = new Interface(loadUniswapArtifact('SwapRouter').abi)
const poolInterface = new Interface(loadUniswapArtifact('UniswapV3Pool').abi)
const lpInterface = new Interface(loadReplayLiquidityArtifact().abi)
const SWAP_TOPIC = poolInterface.getEvent('Swap')!.topicHash

type Receipt = {
  transactionHash: string
  blockNumber: string
  status: string
  logs: readonly { address: string; topics: readonly string[]; data: string }[]
}

const toMs = (value: number | Date | undefined): number | undefined =>
  value === undefined ? undefined : value instanceof Date ? value.getTime() : value

/**
 * Replays one day of a Uniswap v3 pool on a local chain (see docs/venue-sim.md "Chain replay"):
 * 1. deploys a 6-decimal USDC stand-in (token0) and an 18-decimal WETH stand-in (token1), creates the pool through the
 *    real factory at the day's opening price (`planBackgroundLiquidity`), and seeds the inferred background liquidity
 *    from a ReplayLiquidity contract (exact liquidity, straight on the pool);
 * 2. turns automine off and replays block by block: each recorded block becomes one mined block with the record's
 *    timestamp (+ `timestampShiftSec`), holding the block's events in log order as transactions of one account with
 *    consecutive nonces: SWAP → SwapRouter.exactInputSingle(recorded input amount, sqrtPriceLimitX96 = recorded
 *    post-swap price), MINT/BURN → the background LP mints/burns the recorded liquidity on the recorded range;
 * 3. compares every local Swap event with the record and returns the report. Automine is restored at the end.
 */
export function replayPoolDay(parameters: ReplayPoolDayParameters): PoolDayReplay {
  let paused = false
  let stopped = false
  let resumeWaiters: (() => void)[] = []
  let replayed = 0
  const fromMs = toMs(parameters.from)
  const toMsValue = toMs(parameters.to)
  const inRange = parameters.events.filter((e) => toMsValue === undefined || e.timestampSec * 1000 < toMsValue)
  let resolveReady!: (setup: ReplayPoolDaySetup) => void
  let rejectReady!: (error: unknown) => void
  const ready = new Promise<ReplayPoolDaySetup>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  const done = (async () => {
    let setup: ReplayPoolDaySetup
    try {
      setup = await setUpPool(parameters, inRange)
      resolveReady(setup)
    } catch (error) {
      rejectReady(error)
      throw error
    }
    return runBlocks(parameters, inRange, setup, {
      fromMs,
      isStopped: () => stopped,
      waitWhilePaused: () => (paused ? new Promise<void>((resolve) => resumeWaiters.push(resolve)) : Promise.resolve()),
      onReplayed: (count) => {
        replayed = count
      },
    })
  })()
  // A caller awaits `ready`, `done` or both: the one it does not await must not become an unhandled rejection.
  ready.catch(() => {})
  done.catch(() => {})
  return {
    ready,
    done,
    pause() {
      paused = true
    },
    resume() {
      paused = false
      const waiters = resumeWaiters
      resumeWaiters = []
      for (const w of waiters) w()
    },
    stop() {
      stopped = true
      this.resume()
    },
    progress: () => ({ replayed, total: inRange.length, paused }),
  }
}

async function setUpPool(
  parameters: ReplayPoolDayParameters,
  events: readonly PoolEvent[],
): Promise<ReplayPoolDaySetup> {
  const { chain } = parameters
  const feePips = parameters.feePips ?? 500
  const account = parameters.account ?? chain.accounts[chain.accounts.length - 1]
  if (account === undefined) throw new ChainReplayError({ reason: 'the chain has no account' })
  if (events.length === 0) throw new ChainReplayError({ reason: 'no event to replay' })
  const plan = planBackgroundLiquidity(events, { feePips, tickSpacing: tickSpacingOf(feePips) })
  const staleLiquidityRows = detectStaleLiquidityRows(events)

  // token0 must be the USDC stand-in: deploy the 6-decimal token at whichever of the next two addresses is lower.
  const deployer = chain.accounts[0]!
  const nonce = await chain.provider.getTransactionCount(deployer, 'pending')
  const first = getCreateAddress({ from: deployer, nonce })
  const second = getCreateAddress({ from: deployer, nonce: nonce + 1 })
  const usdcFirst = BigInt(first) < BigInt(second)
  const usdcSpec = { name: 'USD Coin (replay)', symbol: 'USDC', decimals: 6 }
  const wethSpec = { name: 'Wrapped Ether (replay)', symbol: 'WETH', decimals: 18 }
  const a = await deployTestToken(chain, usdcFirst ? usdcSpec : wethSpec)
  const b = await deployTestToken(chain, usdcFirst ? wethSpec : usdcSpec)
  const [usdc, weth] = usdcFirst ? [a, b] : [b, a]
  const pool = await createPool(chain, {
    tokenA: usdc,
    tokenB: weth,
    feePips,
    sqrtPriceX96: plan.openingSqrtPriceX96,
  })
  if (pool.token0.toLowerCase() !== usdc.toLowerCase()) {
    throw new ChainReplayError({ reason: 'the USDC stand-in did not become token0' })
  }
  const backgroundLp = await deployContract(chain.provider, account, loadReplayLiquidityArtifact())
  for (const token of [usdc, weth]) {
    for (const holder of [account, backgroundLp]) {
      await sendLocalTransaction(
        chain.provider,
        { from: deployer, to: token, data: erc20.encodeFunctionData('mint', [holder, TOKEN_SUPPLY]) },
        'fund replay',
      )
    }
    await sendLocalTransaction(
      chain.provider,
      { from: account, to: token, data: erc20.encodeFunctionData('approve', [chain.uniswap.swapRouter, MaxUint256]) },
      'approve router',
    )
  }
  for (const position of [...plan.preDayPositions, ...plan.buckets]) {
    await sendLocalTransaction(
      chain.provider,
      {
        from: account,
        to: backgroundLp,
        data: lpInterface.encodeFunctionData('mint', [
          pool.pool,
          position.tickLower,
          position.tickUpper,
          position.liquidity,
        ]),
        gasLimit: LIQUIDITY_GAS,
      },
      'seed background liquidity',
    )
  }

  const latest = await chain.provider.getBlock('latest')
  const chainNowSec = latest?.timestamp ?? 0
  const firstSec = events[0]!.timestampSec
  const timestampShiftSec =
    parameters.timestampShiftSec ??
    (chainNowSec < firstSec ? 0 : Math.ceil((chainNowSec - firstSec + 1) / DAY_SEC) * DAY_SEC)
  if (firstSec + timestampShiftSec <= chainNowSec) {
    throw new ChainReplayError({
      reason: `timestampShiftSec ${timestampShiftSec} puts the first block at or before the chain's latest (${chainNowSec})`,
    })
  }
  return {
    pool,
    usdc,
    weth,
    backgroundLp,
    account,
    swapRouter: chain.uniswap.swapRouter,
    timestampShiftSec,
    plan,
    staleLiquidityRows,
  }
}

function tickSpacingOf(feePips: number): number {
  const spacing = ({ 100: 1, 500: 10, 3000: 60, 10000: 200 } as Record<number, number>)[feePips]
  if (spacing === undefined) throw new ChainReplayError({ reason: `fee ${feePips} is not a v3 fee tier` })
  return spacing
}

type Controls = {
  fromMs: number | undefined
  isStopped(): boolean
  waitWhilePaused(): Promise<void>
  onReplayed(count: number): void
}

async function runBlocks(
  parameters: ReplayPoolDayParameters,
  events: readonly PoolEvent[],
  setup: ReplayPoolDaySetup,
  controls: Controls,
): Promise<ReplayPoolDayReport> {
  const { chain } = parameters
  const rpcUrl = chain.rpcUrl
  const started = Date.now()
  const { account, pool, timestampShiftSec } = setup
  const automineBefore = (await sendJsonRpcBatch(rpcUrl, [{ method: 'anvil_getAutomine', params: [] }]))[0] === true
  await sendJsonRpcBatch(rpcUrl, [{ method: 'evm_setAutomine', params: [false] }])
  // Room for a busy block of 3M-gas swaps; older anvils without the method keep their limit.
  await sendJsonRpcBatch(rpcUrl, [{ method: 'evm_setBlockGasLimit', params: [toBeHex(1_000_000_000)] }]).catch(
    () => undefined,
  )
  let nonce = Number(await chain.provider.getTransactionCount(account, 'pending'))

  const speed = parameters.speed
  const clock = parameters.clock
  if (speed !== undefined && !(speed > 0)) throw new ChainReplayError({ reason: `speed ${speed} is not > 0` })
  let paceOriginWallMs: number | undefined
  let paceOriginRecordMs: number | undefined

  let blocks = 0
  let swapsInRecord = 0
  let swapsSent = 0
  let swapsReverted = 0
  let swapsWithoutTransaction = 0
  let swapsExactPrice = 0
  let mintsSent = 0
  let burnsSent = 0
  let maxPriceRelativeDifference = 0
  const diffs0: bigint[] = []
  const diffs1: bigint[] = []
  // The local pool's price as the next swap will find it: the last mined Swap, then each swap's limit within a block.
  let expectedPrice = setup.plan.openingSqrtPriceX96
  const slackPips = BigInt(parameters.amountInSlackPips ?? 1)
  if (slackPips < 0n) throw new ChainReplayError({ reason: `amountInSlackPips ${slackPips} is negative` })
  const priceTarget = parameters.priceTarget ?? 'recordedAmount'
  if (priceTarget !== 'recordedAmount' && priceTarget !== 'exact') {
    throw new ChainReplayError({ reason: `priceTarget ${String(priceTarget)} is not 'recordedAmount' or 'exact'` })
  }
  let index = 0
  let wasStopped = false
  try {
    while (index < events.length) {
      if (controls.isStopped()) {
        wasStopped = true
        break
      }
      await controls.waitWhilePaused()
      if (controls.isStopped()) {
        wasStopped = true
        break
      }
      const blockNumber = events[index]!.blockNumber
      let end = index
      while (end < events.length && events[end]!.blockNumber === blockNumber) end++
      const blockEvents = events.slice(index, end)
      const timestampSec = blockEvents[0]!.timestampSec

      const recordMs = timestampSec * 1000
      const paced = controls.fromMs === undefined || recordMs >= controls.fromMs
      if (paced && clock !== undefined) await sleepUntil(clock, recordMs)
      else if (paced && speed !== undefined) {
        if (paceOriginWallMs === undefined) {
          paceOriginWallMs = Date.now()
          paceOriginRecordMs = recordMs
        } else {
          const wait = paceOriginWallMs + (recordMs - paceOriginRecordMs!) / speed - Date.now()
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        }
      }

      const sends: { position: number; hash?: string }[] = []
      const calls: { method: string; params: unknown[] }[] = [
        { method: 'evm_setNextBlockTimestamp', params: [toBeHex(timestampSec + timestampShiftSec)] },
      ]
      const statuses: ReplayEventStatus[] = blockEvents.map(() => 'no-transaction')
      for (let i = 0; i < blockEvents.length; i++) {
        const e = blockEvents[i]!
        const tx = transactionFor(e, setup, expectedPrice, slackPips, priceTarget === 'exact')
        if (e.kind === 'SWAP') {
          swapsInRecord++
          if (tx !== undefined) expectedPrice = e.sqrtPriceX96
        }
        if (tx === undefined) continue
        calls.push({
          method: 'eth_sendTransaction',
          params: [
            {
              from: account,
              to: tx.to,
              data: tx.data,
              gas: toBeHex(tx.gas),
              nonce: toBeHex(nonce++),
              maxFeePerGas: toBeHex(100_000_000_000n),
              maxPriorityFeePerGas: '0x0',
            },
          ],
        })
        sends.push({ position: i })
      }
      const sent = await sendJsonRpcBatch(rpcUrl, calls)
      sends.forEach((s, k) => {
        s.hash = String(sent[k + 1])
      })
      await sendJsonRpcBatch(rpcUrl, [{ method: 'evm_mine', params: [] }])
      // Receipts by our own hashes, and the block they are in: another party may mine blocks of its own meanwhile.
      const answers = await sendJsonRpcBatch(rpcUrl, [
        { method: 'eth_getBlockByNumber', params: ['latest', false] },
        ...sends.map((s) => ({ method: 'eth_getTransactionReceipt', params: [s.hash] })),
      ])
      const mined = answers.slice(1) as (Receipt | null)[]
      let blockRaw = answers[0]
      const minedIn = mined.find((r) => r !== null)?.blockNumber
      if (minedIn !== undefined && BigInt(minedIn) !== BigInt((blockRaw as { number: string }).number)) {
        ;[blockRaw] = await sendJsonRpcBatch(rpcUrl, [{ method: 'eth_getBlockByNumber', params: [minedIn, false] }])
      }
      blocks++
      const receipts = new Map(
        mined.filter((r): r is Receipt => r !== null).map((r) => [r.transactionHash.toLowerCase(), r]),
      )
      const block = blockRaw as { number: string; timestamp: string }
      const swaps: (ReplayedSwap | undefined)[] = blockEvents.map(() => undefined)
      const hashes: (string | undefined)[] = blockEvents.map(() => undefined)
      for (const s of sends) {
        const e = blockEvents[s.position]!
        const receipt = receipts.get(s.hash!.toLowerCase())
        if (receipt === undefined) {
          throw new ChainReplayError({
            reason: `transaction ${s.hash} for line ${e.line} was not mined in block ${Number(block.number)}`,
          })
        }
        hashes[s.position] = s.hash
        const ok = BigInt(receipt.status) === 1n
        statuses[s.position] = ok ? 'sent' : 'reverted'
        if (e.kind === 'MINT' && ok) mintsSent++
        if (e.kind === 'BURN' && ok) burnsSent++
        if (e.kind !== 'SWAP') continue
        if (!ok) {
          swapsReverted++
          continue
        }
        const log = receipt.logs.find(
          (l) => l.topics[0] === SWAP_TOPIC && l.address.toLowerCase() === pool.pool.toLowerCase(),
        )
        if (log === undefined) throw new ChainReplayError({ reason: `no Swap log for line ${e.line}` })
        const decoded = poolInterface.decodeEventLog('Swap', log.data, log.topics)
        const swap: ReplayedSwap = {
          amount0Raw: BigInt(decoded.amount0),
          amount1Raw: BigInt(decoded.amount1),
          sqrtPriceX96: BigInt(decoded.sqrtPriceX96),
          liquidity: BigInt(decoded.liquidity),
          tick: Number(decoded.tick),
          exactPrice: BigInt(decoded.sqrtPriceX96) === e.sqrtPriceX96,
        }
        swaps[s.position] = swap
        swapsSent++
        if (swap.exactPrice) swapsExactPrice++
        else {
          const rel = Math.abs(Number(swap.sqrtPriceX96 - e.sqrtPriceX96) / Number(e.sqrtPriceX96))
          if (rel > maxPriceRelativeDifference) maxPriceRelativeDifference = rel
        }
        diffs0.push(abs(swap.amount0Raw - e.amount0Raw))
        diffs1.push(abs(swap.amount1Raw - e.amount1Raw))
        expectedPrice = swap.sqrtPriceX96
      }
      for (let i = 0; i < blockEvents.length; i++) {
        if (blockEvents[i]!.kind === 'SWAP' && statuses[i] === 'no-transaction') swapsWithoutTransaction++
        parameters.onEvent?.({
          index: index + i,
          total: events.length,
          event: blockEvents[i]!,
          status: statuses[i]!,
          chainBlockNumber: Number(block.number),
          chainTimestampSec: Number(block.timestamp),
          transactionHash: hashes[i],
          swap: swaps[i],
        })
      }
      index = end
      controls.onReplayed(index)
    }
  } finally {
    if (automineBefore) await sendJsonRpcBatch(rpcUrl, [{ method: 'evm_setAutomine', params: [true] }])
  }
  return {
    events: events.length,
    blocks,
    swapsInRecord,
    swapsSent,
    swapsReverted,
    swapsWithoutTransaction,
    swapsExactPrice,
    maxPriceRelativeDifference,
    amount0Difference: summarize(diffs0),
    amount1Difference: summarize(diffs1),
    mintsSent,
    burnsSent,
    staleLiquidityRows: setup.staleLiquidityRows,
    timestampShiftSec,
    durationMs: Date.now() - started,
    stopped: wasStopped,
  }
}

/** The transaction replaying one event, or undefined when the event needs none. */
function transactionFor(
  e: PoolEvent,
  setup: ReplayPoolDaySetup,
  priceBefore: bigint,
  slackPips: bigint,
  exactPrice: boolean,
): { to: string; data: string; gas: bigint } | undefined {
  const { pool, backgroundLp, account } = setup
  if (e.kind === 'SWAP') {
    const zeroForOne = e.amount0Raw > 0n
    const recordedIn = zeroForOne ? e.amount0Raw : e.amount1Raw
    if (recordedIn <= 0n) return undefined
    const amountIn = exactPrice ? EXACT_PRICE_AMOUNT_IN : recordedIn + (recordedIn * slackPips + 999_999n) / 1_000_000n
    // The pool rejects a limit at or behind the current price (SPL): such a swap moves no price on mainnet either.
    if (zeroForOne ? e.sqrtPriceX96 >= priceBefore : e.sqrtPriceX96 <= priceBefore) return undefined
    const limit = e.sqrtPriceX96
    if (limit <= MIN_SQRT_RATIO || limit >= MAX_SQRT_RATIO) return undefined
    return {
      to: setup.swapRouter,
      gas: SWAP_GAS,
      data: router.encodeFunctionData('exactInputSingle', [
        {
          tokenIn: zeroForOne ? pool.token0 : pool.token1,
          tokenOut: zeroForOne ? pool.token1 : pool.token0,
          fee: pool.feePips,
          recipient: account,
          deadline: 2n ** 48n,
          amountIn,
          amountOutMinimum: 0n,
          sqrtPriceLimitX96: limit,
        },
      ]),
    }
  }
  if (e.kind === 'MINT' || e.kind === 'BURN') {
    if (e.liquidity === undefined || e.liquidity === 0n) return undefined
    return {
      to: backgroundLp,
      gas: LIQUIDITY_GAS,
      data: lpInterface.encodeFunctionData(e.kind === 'MINT' ? 'mint' : 'burn', [
        pool.pool,
        e.tickLower!,
        e.tickUpper!,
        e.liquidity,
      ]),
    }
  }
  return undefined
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x
}

function summarize(values: readonly bigint[]): AmountDifference {
  if (values.length === 0) return { max: 0n, median: 0n, exact: 0 }
  const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
  return {
    max: sorted[sorted.length - 1]!,
    median: sorted[Math.floor((sorted.length - 1) / 2)]!,
    exact: values.filter((v) => v === 0n).length,
  }
}

async function sleepUntil(clock: ReplayClockLike, targetMs: number): Promise<void> {
  if (clock.nowMs() >= targetMs) return
  if (clock.sleepUntil !== undefined) {
    await clock.sleepUntil(targetMs)
    return
  }
  while (clock.nowMs() < targetMs) await new Promise((resolve) => setTimeout(resolve, 5))
}

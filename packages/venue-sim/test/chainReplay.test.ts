import { fileURLToPath } from 'node:url'
import { Interface } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addLiquidity,
  fundAccount,
  type LocalChain,
  loadUniswapArtifact,
  sendLocalTransaction,
  startLocalChain,
} from '../src/chain/index.js'
import {
  ChainReplayError,
  detectStaleLiquidityRows,
  type PoolEvent,
  PoolEventsFormatError,
  parsePoolEvents,
  planBackgroundLiquidity,
  type ReplayEventProgress,
  readPoolEvents,
  replayPoolDay,
} from '../src/chain/replay/index.js'

// The two recorded days of the mainnet USDC/WETH 0.05 % pool (data/*/PROVENANCE.md).
const DAY_2024 = fileURLToPath(
  new URL(
    '../../../data/uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.tick.csv',
    import.meta.url,
  ),
)
const DAY_2023 = fileURLToPath(
  new URL(
    '../../../data/uniswap-mainnet-2023-11-10/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2023-11-10.tick.csv',
    import.meta.url,
  ),
)

const erc20 = new Interface([
  'function balanceOf(address) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'function approve(address spender, uint256 amount) returns (bool)',
])
const poolInterface = new Interface(loadUniswapArtifact('UniswapV3Pool').abi)

async function read(chain: LocalChain, to: string, iface: Interface, fn: string, args: unknown[] = []) {
  return iface.decodeFunctionResult(fn, await chain.provider.call({ to, data: iface.encodeFunctionData(fn, args) }))
}

const countKinds = (events: readonly PoolEvent[]) =>
  Object.fromEntries(['SWAP', 'MINT', 'BURN', 'COLLECT'].map((k) => [k, events.filter((e) => e.kind === k).length]))

describe('pool-events reader', () => {
  it('reads both days with the counts their PROVENANCE states, integral ticks and UTC timestamps', () => {
    const day = readPoolEvents(DAY_2024)
    expect(day).toHaveLength(6234)
    expect(countKinds(day)).toEqual({ SWAP: 6046, MINT: 54, BURN: 69, COLLECT: 65 })
    const first = day[0]!
    // Row 2 of the file: 18937382,2024-01-05 00:00:23,SWAP,…,-22686110,10000000000000000,12453647101533358277,…,199045.0
    expect(first).toMatchObject({
      line: 2,
      blockNumber: 18937382,
      timestampSec: Date.UTC(2024, 0, 5, 0, 0, 23) / 1000,
      kind: 'SWAP',
      amount0Raw: -22686110n,
      amount1Raw: 10000000000000000n,
      totalLiquidity: 12453647101533358277n,
      sqrtPriceX96: 1662995104975155420368771254341874n,
      tick: 199045,
      tickLower: undefined,
      liquidity: undefined,
    })
    const mint = day.find((e) => e.line === 313)!
    expect(mint).toMatchObject({
      kind: 'MINT',
      tickLower: 199050,
      tickUpper: 199060,
      liquidity: 374209058380740165632n,
    })
    const other = readPoolEvents(DAY_2023)
    expect(other).toHaveLength(6351)
    expect(countKinds(other)).toEqual({ SWAP: 5898, MINT: 122, BURN: 166, COLLECT: 165 })
    expect(other[other.length - 1]!.timestampSec).toBe(Date.UTC(2023, 10, 10, 23, 59, 59) / 1000)
  })

  it('rejects a fractional tick and a missing column, naming the line and the column', () => {
    const header =
      'block_number,block_timestamp,tx_type,transaction_hash,pool_tx_index,pool_log_index,proxy_log_index,sender,receipt,amount0,amount1,total_liquidity,total_liquidity_delta,sqrtPriceX96,current_tick,position_id,tick_lower,tick_upper,liquidity'
    const row = '1,2024-01-05 00:00:23,SWAP,0xab,1,2,,0x1,0x1,-5,7,100,0,79228162514264337593543950336,199045.5,,,,'
    const error = (() => {
      try {
        parsePoolEvents(`${header}\n${row}\n`, { file: 'x.csv' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(PoolEventsFormatError)
    expect((error as PoolEventsFormatError).line).toBe(2)
    expect((error as PoolEventsFormatError).column).toBe('current_tick')
    expect(() => parsePoolEvents(header.replace(',liquidity', ''))).toThrow(/missing column "liquidity"/)
  })
})

describe('rows whose total_liquidity is wrong', () => {
  it('finds exactly the 8 not-updated MINT/BURN rows of 2024-01-05 that issue #17 lists, with the corrected value', () => {
    const rows = detectStaleLiquidityRows(readPoolEvents(DAY_2024))
    expect(rows.filter((r) => r.reason === 'not-updated').map((r) => r.line)).toEqual([
      313, 315, 1654, 1656, 1754, 1756, 4246, 4248,
    ])
    // Line 313 repeats line 312's 12443711283277691277; the mint of 374209058380740165632 is in range (199050 ≤ 199050 <
    // 199060), and line 314 (the next Swap) shows the sum 386652769664017856909.
    const row313 = rows.find((r) => r.line === 313)!
    expect(row313.recorded).toBe(12443711283277691277n)
    expect(row313.expected).toBe(12443711283277691277n + 374209058380740165632n)
    expect(row313.expected).toBe(386652769664017856909n)
  })

  it('the background-liquidity inference never reads those rows: every bucket observation agrees on both days', () => {
    for (const file of [DAY_2024, DAY_2023]) {
      const plan = planBackgroundLiquidity(readPoolEvents(file))
      expect(plan.conflictingObservations).toBe(0)
      expect(plan.clampedBuckets).toBe(0)
      expect(plan.buckets.some((b) => b.source === 'observed')).toBe(true)
    }
  })
})

describe('replayPoolDay on anvil with the real v3 contracts', () => {
  const day = readPoolEvents(DAY_2024)
  let chain: LocalChain
  beforeAll(async () => {
    // Genesis an hour before the day, so the replayed blocks carry the record's timestamps unshifted.
    chain = await startLocalChain({ extraArgs: ['--timestamp', String(day[0]!.timestampSec - 3_600)] })
  })
  afterAll(async () => {
    await chain?.stop()
  })

  it('the first 300 events: every swap lands on the recorded sqrtPriceX96, block times are the record, tokens are conserved', async () => {
    const events = day.slice(0, 300)
    const progress: ReplayEventProgress[] = []
    const replay = replayPoolDay({ chain, events, onEvent: (p) => progress.push(p) })
    const setup = await replay.ready
    expect(setup.pool.token0).toBe(setup.usdc)
    expect(setup.timestampShiftSec).toBe(0)
    const accountBefore = await Promise.all(
      [setup.usdc, setup.weth].map(async (t) => BigInt((await read(chain, t, erc20, 'balanceOf', [setup.account]))[0])),
    )
    const report = await replay.done

    const swaps = events.filter((e) => e.kind === 'SWAP')
    expect(report.swapsInRecord).toBe(swaps.length)
    expect(report.swapsSent).toBe(swaps.length)
    // Stated share for this slice: every swap ends on the recorded price to the unit.
    expect(report.swapsExactPrice).toBe(report.swapsSent)
    expect(report.maxPriceRelativeDifference).toBe(0)
    const exactFromEvents = progress.filter((p) => p.swap !== undefined && p.swap.sqrtPriceX96 === p.event.sqrtPriceX96)
    expect(exactFromEvents.length).toBe(report.swapsExactPrice)

    // One mined block per recorded block, at the recorded timestamp.
    expect(progress).toHaveLength(300)
    expect(report.blocks).toBe(new Set(events.map((e) => e.blockNumber)).size)
    for (const p of progress) expect(p.chainTimestampSec).toBe(p.event.timestampSec)
    const chainBlocks = new Map<number, number>()
    for (const p of progress) {
      const known = chainBlocks.get(p.event.blockNumber)
      if (known !== undefined) expect(p.chainBlockNumber).toBe(known)
      chainBlocks.set(p.event.blockNumber, p.chainBlockNumber)
    }
    const lastBlock = await chain.provider.getBlock(progress[progress.length - 1]!.chainBlockNumber)
    expect(lastBlock!.timestamp).toBe(events[events.length - 1]!.timestampSec)

    // The pool ends on the last recorded price.
    const slot0 = await read(chain, setup.pool.pool, poolInterface, 'slot0')
    const lastSwap = swaps[swaps.length - 1]!
    expect(BigInt(slot0.sqrtPriceX96)).toBe(lastSwap.sqrtPriceX96)

    // Conservation: each token's supply sits with the sender, the background LP and the pool; the sender's balance moved
    // by exactly the opposite of the pool deltas of its swaps.
    for (const [k, token] of [setup.usdc, setup.weth].entries()) {
      const [supply, account, lp, pool] = await Promise.all([
        read(chain, token, erc20, 'totalSupply'),
        read(chain, token, erc20, 'balanceOf', [setup.account]),
        read(chain, token, erc20, 'balanceOf', [setup.backgroundLp]),
        read(chain, token, erc20, 'balanceOf', [setup.pool.pool]),
      ])
      expect(BigInt(account[0]) + BigInt(lp[0]) + BigInt(pool[0])).toBe(BigInt(supply[0]))
      const poolDelta = progress.reduce(
        (sum, p) => sum + (p.swap === undefined ? 0n : k === 0 ? p.swap.amount0Raw : p.swap.amount1Raw),
        0n,
      )
      expect(BigInt(account[0])).toBe(accountBefore[k]! - poolDelta)
    }
    // Automine is back on: a plain transaction is mined at once.
    expect(await chain.provider.send('anvil_getAutomine', [])).toBe(true)
  }, 120_000)

  it('a transaction another account sends during the replay is mined with the next replayed block; the replay is unaffected', async () => {
    const events = day.slice(0, 150)
    const blockTimes = [...new Set(events.map((e) => e.timestampSec + 86_400))]
    let replayed = 0
    const replay = replayPoolDay({ chain, events, timestampShiftSec: 86_400, onEvent: () => replayed++ })
    const setup = await replay.ready
    expect(setup.account).toBe(chain.accounts[9])
    while (replayed < 30) await new Promise((r) => setTimeout(r, 2))
    replay.pause()
    let report: Awaited<typeof replay.done>
    let hash: string
    try {
      // pause() holds the replay after the block in flight: wait until no event has been replayed for 300 ms, so that
      // block is mined before our transaction is sent (on a loaded machine it can take a while).
      for (let last = -1; last !== replayed; ) {
        last = replayed
        await new Promise((r) => setTimeout(r, 300))
      }
      // Automine is off while the replay runs: the transaction waits in the pool for the next replayed block.
      hash = (await chain.provider.send('eth_sendTransaction', [
        { from: chain.accounts[2], to: chain.accounts[3], value: '0x1' },
      ])) as string
      await new Promise((r) => setTimeout(r, 100))
      expect(await chain.provider.send('eth_getTransactionReceipt', [hash])).toBeNull()
    } finally {
      // never leave a paused replay (automine off) to the next test
      replay.resume()
      report = await replay.done
    }
    const receipt = (await chain.provider.send('eth_getTransactionReceipt', [hash])) as { blockNumber: string }
    const block = await chain.provider.getBlock(Number(BigInt(receipt.blockNumber)))
    expect(blockTimes).toContain(block!.timestamp)
    expect(report.swapsExactPrice).toBe(report.swapsSent)
    expect(report.swapsSent).toBe(events.filter((e) => e.kind === 'SWAP').length)
  }, 120_000)

  it('stop() ends after the block in flight, pause() holds the replay, and the report says stopped', async () => {
    const events = day.slice(0, 400)
    let replayed = 0
    const replay = replayPoolDay({ chain, events, timestampShiftSec: 2 * 86_400, onEvent: () => replayed++ })
    await replay.ready
    while (replayed < 20) await new Promise((r) => setTimeout(r, 5))
    replay.pause()
    // the block in flight finishes first (it can take a while on a loaded machine); then nothing more is replayed
    for (let last = -1; last !== replayed; ) {
      last = replayed
      await new Promise((r) => setTimeout(r, 300))
    }
    const held = replayed
    await new Promise((r) => setTimeout(r, 300))
    expect(replayed).toBe(held)
    expect(replay.progress().paused).toBe(true)
    replay.resume()
    while (replayed < held + 10) await new Promise((r) => setTimeout(r, 5))
    replay.stop()
    const report = await replay.done
    expect(report.stopped).toBe(true)
    expect(report.timestampShiftSec).toBe(2 * 86_400)
    expect(replay.progress().replayed).toBe(replayed)
    expect(replayed).toBeLessThan(events.length)
  }, 120_000)

  it('`to` ends the replay before the first event at or after it', async () => {
    const events = day.slice(0, 200)
    const toMs = events[120]!.timestampSec * 1000
    const expected = events.filter((e) => e.timestampSec * 1000 < toMs)
    const seen: ReplayEventProgress[] = []
    const replay = replayPoolDay({
      chain,
      events,
      to: new Date(toMs),
      timestampShiftSec: 6 * 86_400,
      onEvent: (p) => seen.push(p),
    })
    const report = await replay.done
    expect(report.events).toBe(expected.length)
    expect(seen.map((p) => p.event.line)).toEqual(expected.map((e) => e.line))
    expect(report.stopped).toBe(false)
  }, 120_000)

  it('a record-time clock paces the blocks (each waits for its timestamp); speed alone paces on the wall clock', async () => {
    const events = day.slice(0, 40)
    const blockTimesMs = [...new Set(events.map((e) => e.timestampSec * 1000))]
    // A manual record-time clock that starts at the 5th block: the first blocks are past, later ones wait for it.
    let nowMs = blockTimesMs[4]!
    const waits: number[] = []
    const clock = {
      nowMs: () => nowMs,
      sleepUntil: (ms: number) => {
        waits.push(ms)
        nowMs = ms
      },
    }
    const mined: number[] = []
    await replayPoolDay({
      chain,
      events,
      clock,
      timestampShiftSec: 7 * 86_400,
      onEvent: (p) => mined.push(nowMs - p.event.timestampSec * 1000),
    }).done
    expect(waits).toEqual(blockTimesMs.slice(5))
    // No block was mined before the clock reached its timestamp.
    expect(mined.every((late) => late >= 0)).toBe(true)

    // speed without a clock: the record span of blocks 10..39 compressed into ~1.5 s of wall time.
    const fromMs = blockTimesMs[10]!
    const spanMs = blockTimesMs[blockTimesMs.length - 1]! - fromMs
    const speed = spanMs / 1_500
    const started = Date.now()
    const paced = await replayPoolDay({ chain, events, speed, from: fromMs, timestampShiftSec: 8 * 86_400 }).done
    const setupAndReplayMs = Date.now() - started
    expect(paced.durationMs).toBeGreaterThanOrEqual(1_450)
    expect(setupAndReplayMs).toBeGreaterThanOrEqual(paced.durationMs)
    await expect(replayPoolDay({ chain, events: [] }).done).rejects.toThrow(ChainReplayError)
  }, 120_000)
  it("priceTarget 'exact': with a position of ours in range every swap still ends on the recorded price; the amounts differ by what our liquidity absorbed", async () => {
    const events = day.slice(0, 300)
    const swaps = events.filter((e) => e.kind === 'SWAP')
    /** Replays the slice with a ±300-tick position of account 2 (200 000 USDC + 100 WETH) minted before the first block. */
    const replayWithOurRange = async (shiftDays: number, priceTarget: 'exact' | undefined) => {
      // A manual record-time clock held before the first block: the replay waits (automine already off) while we mint.
      let nowMs = 0
      let release!: () => void
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      let waiting!: () => void
      const isWaiting = new Promise<void>((resolve) => {
        waiting = resolve
      })
      const clock = {
        nowMs: () => nowMs,
        sleepUntil: async (ms: number) => {
          if (nowMs === 0) {
            waiting()
            await released
          }
          nowMs = Math.max(nowMs, ms)
        },
      }
      const progress: ReplayEventProgress[] = []
      const replay = replayPoolDay({
        chain,
        events,
        clock,
        timestampShiftSec: shiftDays * 86_400,
        onEvent: (p) => progress.push(p),
        ...(priceTarget === undefined ? {} : { priceTarget }),
      })
      const setup = await replay.ready
      await isWaiting
      const owner = chain.accounts[2]!
      await chain.provider.send('evm_setAutomine', [true])
      for (const [token, amountRaw] of [
        [setup.usdc, 200_000n * 10n ** 6n],
        [setup.weth, 100n * 10n ** 18n],
      ] as const) {
        await fundAccount(chain, { token, account: owner, amountRaw })
        await sendLocalTransaction(
          chain.provider,
          {
            from: owner,
            to: token,
            data: erc20.encodeFunctionData('approve', [chain.uniswap.positionManager, 2n ** 255n]),
          },
          'approve',
        )
      }
      const tick = Number((await read(chain, setup.pool.pool, poolInterface, 'slot0')).tick)
      const center = Math.round(tick / 10) * 10
      const ours = await addLiquidity(chain, {
        pool: setup.pool,
        from: owner,
        tickLower: center - 300,
        tickUpper: center + 300,
        amount0DesiredRaw: 200_000n * 10n ** 6n,
        amount1DesiredRaw: 100n * 10n ** 18n,
      })
      await chain.provider.send('evm_setAutomine', [false])
      nowMs = Number.MAX_SAFE_INTEGER
      release()
      const report = await replay.done
      return { report, progress, ours }
    }

    const recorded = await replayWithOurRange(9, undefined)
    const exact = await replayWithOurRange(10, 'exact')
    for (const r of [recorded, exact]) expect(r.ours.liquidity).toBeGreaterThan(0n)
    // Recorded amounts: a swap whose limit the local price has already passed (an earlier one fell short) is not sent,
    // or reverts when that happens within a block. 'exact': every swap is sent and none reverts.
    const r = recorded.report
    expect(r.swapsSent + r.swapsWithoutTransaction + r.swapsReverted).toBe(swaps.length)
    expect(exact.report.swapsSent).toBe(swaps.length)
    expect(exact.report.swapsReverted).toBe(0)
    process.stderr.write(
      `with our ±300-tick range in the pool (first 300 events): recorded amounts → ${recorded.report.swapsExactPrice}/${recorded.report.swapsSent} sent swaps (${recorded.report.swapsReverted} reverted, ${recorded.report.swapsWithoutTransaction} not sent) on the recorded price; priceTarget 'exact' → ${exact.report.swapsExactPrice}/${exact.report.swapsSent}\n`,
    )
    // The recorded amounts fall short once our liquidity is in range; 'exact' lands every swap on the recorded price.
    expect(recorded.report.swapsExactPrice).toBeLessThan(recorded.report.swapsSent)
    expect(exact.report.swapsExactPrice).toBe(exact.report.swapsSent)
    expect(exact.report.maxPriceRelativeDifference).toBe(0)
    // More liquidity on the same price path: each swap takes at least the recorded input (our range absorbed the
    // difference), never 10²⁷; at least one swap took strictly more.
    let larger = 0
    for (const p of exact.progress) {
      if (p.swap === undefined) continue
      const zeroForOne = p.event.amount0Raw > 0n
      const localIn = zeroForOne ? p.swap.amount0Raw : p.swap.amount1Raw
      const recordedIn = zeroForOne ? p.event.amount0Raw : p.event.amount1Raw
      expect(localIn).toBeGreaterThanOrEqual(recordedIn - recordedIn / 1_000_000n - 1n)
      expect(localIn).toBeLessThan(10n ** 26n)
      if (localIn > recordedIn) larger++
    }
    expect(larger).toBeGreaterThan(swaps.length / 2)
    await expect(
      replayPoolDay({ chain, events, priceTarget: 'nearest' as 'exact', timestampShiftSec: 11 * 86_400 }).done,
    ).rejects.toThrow(ChainReplayError)
  }, 180_000)
})

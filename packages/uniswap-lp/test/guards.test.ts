import { inspect } from 'node:util'
import { createPool, fundAccount, increaseTime } from '@alp/venue-sim/chain'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { assertTwapDeviation } from '../src/chain/assertTwapDeviation.js'
import { ensureAllowance } from '../src/chain/ensureAllowance.js'
import { executeBurn } from '../src/chain/executeBurn.js'
import { executeMint } from '../src/chain/executeMint.js'
import { swapRouterInterface } from '../src/chain/interfaces.js'
import { type MintPlan, planMint } from '../src/chain/planMint.js'
import { readPoolState } from '../src/chain/readPoolState.js'
import {
  InsufficientBalanceError,
  SlippageExceededError,
  TransactionRevertedError,
  TransactionTimeoutError,
  TwapDeviationError,
  TwapUnavailableError,
  WrongChainError,
} from '../src/errors/chain.js'
import { getSqrtRatioAtTick } from '../src/math/tickMath.js'
import { nearestUsableTick } from '../src/math/tickSpacing.js'
import { type ChainFixture, setupChainFixture, TWAP_WINDOW_SEC } from './src/chainFixture.js'

let f: ChainFixture
beforeAll(async () => {
  f = await setupChainFixture()
})
afterAll(async () => {
  await f?.chain.stop()
})
beforeEach(async () => {
  await f.reset()
})

/** A narrow range (±6 spacings) around the current tick, planned at the current price. */
async function planNarrow(): Promise<MintPlan> {
  const state = await readPoolState(f.chain.provider, f.pool.pool)
  const center = nearestUsableTick(state.tick, f.pool.tickSpacing)
  return planMint({
    pool: f.pool,
    sqrtPriceX96: state.sqrtPriceX96,
    tickCurrent: state.tick,
    tickLower: center - 6 * f.pool.tickSpacing,
    tickUpper: center + 6 * f.pool.tickSpacing,
    amount0DesiredRaw: f.pool.token0 === f.usdc ? 20_000n * 10n ** 6n : 10n * 10n ** 18n,
    amount1DesiredRaw: f.pool.token1 === f.usdc ? 20_000n * 10n ** 6n : 10n * 10n ** 18n,
    slippageBps: f.guards.slippageBps,
  })
}

/** The error, its message, details and full inspection (cause chain included) never contain the private key. */
function expectNoSecret(error: unknown): void {
  const keyHex = f.lpPrivateKey.slice(2).toLowerCase()
  const texts = [String(error), (error as Error).message, inspect(error, { depth: 20 })]
  for (const text of texts) expect(text.toLowerCase()).not.toContain(keyHex)
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )
}

describe('executor guards on the real contracts', () => {
  it('slippage: the price moves between plan and execution (a swap from another account) -> SlippageExceededError, nothing sent', async () => {
    const plan = await planNarrow()
    const start = (await readPoolState(f.chain.provider, f.pool.pool)).tick
    await f.moveTickTo(start + 40) // inside the TWAP bound (100), far outside 0.5 % of the planned amounts
    const owner = await f.lp.getAddress()
    const nonce = await f.nonceOf(owner)
    const error = await rejectionOf(executeMint(f.context(), plan))
    expect(error).toBeInstanceOf(SlippageExceededError)
    expect((error as SlippageExceededError).reason).toBe('Price slippage check')
    expect((error as SlippageExceededError).slippageBps).toBe(50)
    expect(await f.nonceOf(owner)).toBe(nonce)
    expectNoSecret(error)
    // Re-planned at the new price, the same mint goes through.
    const replanned = await planNarrow()
    const minted = await executeMint(f.context(), replanned)
    expect(minted.liquidity).toBe(replanned.liquidity)
  })

  it('slippage in the mined transaction: a swap lands before ours in the same block (sandwich) -> SlippageExceededError', async () => {
    const plan = await planNarrow()
    const start = (await readPoolState(f.chain.provider, f.pool.pool)).tick
    const owner = await f.lp.getAddress()
    await f.chain.provider.send('evm_setAutomine', [false])
    try {
      // Our mint passes the dry run and is broadcast, but waits in the mempool ...
      const outcome = executeMint(f.context(), plan).then(
        () => null,
        (error: unknown) => error,
      )
      const deadline = Date.now() + 10_000
      while ((await f.chain.provider.getTransactionCount(owner, 'pending')) === (await f.nonceOf(owner))) {
        if (Date.now() > deadline) throw new Error('the mint never reached the mempool')
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      // ... a higher-priority swap from another account moves the price by 40 ticks, and both land in one block.
      const data = swapRouterInterface.encodeFunctionData('exactInputSingle', [
        {
          tokenIn: f.pool.token1,
          tokenOut: f.pool.token0,
          fee: f.pool.feePips,
          recipient: f.trader,
          deadline: 2n ** 40n,
          amountIn: 10n ** 30n,
          amountOutMinimum: 0n,
          sqrtPriceLimitX96: getSqrtRatioAtTick(start + 40),
        },
      ])
      await f.chain.provider.send('eth_sendTransaction', [
        {
          from: f.trader,
          to: f.chain.uniswap.swapRouter,
          data,
          gas: '0x1000000',
          maxFeePerGas: '0x174876e800',
          maxPriorityFeePerGas: '0x174876e800',
        },
      ])
      await f.chain.provider.send('evm_mine', [])
      const error = await outcome
      expect(error).toBeInstanceOf(SlippageExceededError)
      const inner = (error as SlippageExceededError).cause as TransactionRevertedError
      expect(inner.stage).toBe('mined')
      expect(inner.txHash).toMatch(/^0x[0-9a-f]{64}$/)
      expect((error as SlippageExceededError).reason).toBe('Price slippage check')
      expect((await readPoolState(f.chain.provider, f.pool.pool)).tick).toBe(start + 40)
      expectNoSecret(error)
    } finally {
      await f.chain.provider.send('evm_setAutomine', [true])
    }
  })

  it('TWAP: a manipulated pool (big swap, then act) is refused; once the TWAP catches up the guard lets it through', async () => {
    const start = (await readPoolState(f.chain.provider, f.pool.pool)).tick
    await f.moveTickTo(start + 1_000)
    const plan = await planNarrow() // planned at the manipulated price: only the TWAP guard can catch it
    const owner = await f.lp.getAddress()
    const nonce = await f.nonceOf(owner)
    const error = await rejectionOf(executeMint(f.context(), plan))
    expect(error).toBeInstanceOf(TwapDeviationError)
    const twapError = error as TwapDeviationError
    expect(twapError.spotTick).toBe(start + 1_000)
    expect(Math.abs(twapError.spotTick - twapError.twapTick)).toBeGreaterThan(100)
    expect(await f.nonceOf(owner)).toBe(nonce)
    expectNoSecret(error)

    await increaseTime(f.chain, 2 * TWAP_WINDOW_SEC)
    const minted = await executeMint(f.context(), plan)
    expect(minted.liquidity).toBe(plan.liquidity)
  })

  it('wrong chain id -> WrongChainError before anything is read or sent', async () => {
    const error = await rejectionOf(executeMint(f.context({ guards: { expectedChainId: 1n } }), await planNarrow()))
    expect(error).toBeInstanceOf(WrongChainError)
    expect((error as WrongChainError).actualChainId).toBe(31337n)
    expect((error as WrongChainError).expectedChainId).toBe(1n)
    expectNoSecret(error)
  })

  it('insufficient balance -> InsufficientBalanceError naming token, account and amounts', async () => {
    const empty = new Wallet(f.chain.testPrivateKeys[7]!, f.chain.provider)
    const plan = await planNarrow()
    const error = await rejectionOf(executeMint(f.context({ signer: empty }), plan))
    expect(error).toBeInstanceOf(InsufficientBalanceError)
    const e = error as InsufficientBalanceError
    expect(e.account).toBe(empty.address)
    expect(e.token).toBe(f.pool.token0)
    expect(e.requiredRaw).toBe(plan.amount0DesiredRaw)
    expect(e.availableRaw).toBe(0n)
    expect(e.message).not.toContain(f.chain.testPrivateKeys[7]!.slice(2))
  })

  it('a revert in the dry run gives TransactionRevertedError with the decoded reason and sends nothing', async () => {
    const minted = await executeMint(f.context(), await planNarrow())
    const owner = await f.lp.getAddress()
    const nonce = await f.nonceOf(owner)
    // The position still has liquidity: NonfungiblePositionManager.burn requires it cleared.
    const error = await rejectionOf(executeBurn(f.context(), { pool: f.pool.pool, tokenId: minted.tokenId }))
    expect(error).toBeInstanceOf(TransactionRevertedError)
    expect((error as TransactionRevertedError).reason).toBe('Not cleared')
    expect((error as TransactionRevertedError).stage).toBe('dry-run')
    expect(await f.nonceOf(owner)).toBe(nonce)
    expectNoSecret(error)
  })

  it('no receipt before the deadline -> TransactionTimeoutError (outcome unknown), never a hang', async () => {
    const plan = await planNarrow()
    await f.chain.provider.send('evm_setAutomine', [false])
    try {
      const error = await rejectionOf(executeMint(f.context({ guards: { receiptTimeoutMs: 300 } }), plan))
      expect(error).toBeInstanceOf(TransactionTimeoutError)
      expect((error as TransactionTimeoutError).txHash).toMatch(/^0x[0-9a-f]{64}$/)
      expectNoSecret(error)
    } finally {
      await f.chain.provider.send('evm_setAutomine', [true])
    }
  })

  it('without an allowance the dry run reverts (STF); ensureAllowance approves exactly the amount, then the mint goes through', async () => {
    const wallet = new Wallet(f.chain.testPrivateKeys[6]!, f.chain.provider)
    const plan = await planNarrow()
    for (const [token, amountRaw] of [
      [f.pool.token0, plan.amount0DesiredRaw],
      [f.pool.token1, plan.amount1DesiredRaw],
    ] as const) {
      await fundAccount(f.chain, { token, account: wallet.address, amountRaw, spenders: [] })
    }
    const ctx = f.context({ signer: wallet })
    const error = await rejectionOf(executeMint(ctx, plan))
    expect(error).toBeInstanceOf(TransactionRevertedError)
    expect((error as TransactionRevertedError).reason).toBe('STF') // v3-periphery TransferHelper.safeTransferFrom
    for (const [token, amountRaw] of [
      [f.pool.token0, plan.amount0DesiredRaw],
      [f.pool.token1, plan.amount1DesiredRaw],
    ] as const) {
      expect(await ensureAllowance(ctx, { token, spender: f.chain.uniswap.positionManager, amountRaw })).not.toBeNull()
      expect(await ensureAllowance(ctx, { token, spender: f.chain.uniswap.positionManager, amountRaw })).toBeNull()
    }
    const minted = await executeMint(ctx, plan)
    expect(minted.liquidity).toBe(plan.liquidity)
  })

  it('a pool without a full TWAP window of history is refused (TwapUnavailableError: observe reverts OLD)', async () => {
    const fresh = await createPool(f.chain, { tokenA: f.usdc, tokenB: f.weth, feePips: 3000, priceBPerA: '0.0005' })
    const error = await rejectionOf(
      assertTwapDeviation(f.chain.provider, { pool: fresh.pool, windowSec: 600, maxDeviationTicks: 100 }),
    )
    expect(error).toBeInstanceOf(TwapUnavailableError)
    expect((error as TwapUnavailableError).windowSec).toBe(600)
  })
})

import {
  addLiquidity,
  createPool,
  deployTestToken,
  fundAccount,
  type LocalChain,
  loadUniswapArtifact,
  startLocalChain,
} from '@alp/venue-sim/chain'
import { CurrencyAmount, Token } from '@uniswap/sdk-core'
import { Pool, TickListDataProvider } from '@uniswap/v3-sdk'
import { Interface } from 'ethers'
import JSBI from 'jsbi'
import { afterAll, bench, describe } from 'vitest'
import { PoolSimulator } from '../src/pool/poolSimulator.js'

/**
 * The same 100 exact-input swaps (alternating direction, 1–5 × 10^18, through three overlapping positions) on:
 * PoolSimulator (native bigint), @uniswap/v3-sdk Pool.getOutputAmount (JSBI), and QuoterV2 eth_call against the real
 * pool on anvil. vitest prints "N x faster than" for each pair.
 */
const POSITIONS = [
  { tickLower: -887270, tickUpper: 887270, liquidity: 10n ** 20n },
  { tickLower: -600, tickUpper: 600, liquidity: 10n ** 21n },
  { tickLower: -120, tickUpper: 240, liquidity: 5n * 10n ** 20n },
] as const
const SWAPS = Array.from({ length: 100 }, (_, i) => ({
  zeroForOne: i % 2 === 0,
  amountIn: BigInt((i % 5) + 1) * 10n ** 18n,
}))
const MIN = 4295128740n
const MAX = 1461446703485210103287273052203988822378723970341n
const Q96 = 1n << 96n

function freshSimulator(): PoolSimulator {
  const sim = new PoolSimulator({ feePips: 500, tickSpacing: 10 })
  sim.initialize(Q96)
  for (const p of POSITIONS) sim.mint('lp', p.tickLower, p.tickUpper, p.liquidity)
  return sim
}

const tokenA = new Token(1, '0x0000000000000000000000000000000000000001', 18)
const tokenB = new Token(1, '0x0000000000000000000000000000000000000002', 18)
function sdkPool(): Pool {
  const net = new Map<number, bigint>()
  const gross = new Map<number, bigint>()
  for (const p of POSITIONS) {
    net.set(p.tickLower, (net.get(p.tickLower) ?? 0n) + p.liquidity)
    net.set(p.tickUpper, (net.get(p.tickUpper) ?? 0n) - p.liquidity)
    gross.set(p.tickLower, (gross.get(p.tickLower) ?? 0n) + p.liquidity)
    gross.set(p.tickUpper, (gross.get(p.tickUpper) ?? 0n) + p.liquidity)
  }
  const ticks = [...net.keys()]
    .sort((a, b) => a - b)
    .map((index) => ({
      index,
      liquidityNet: JSBI.BigInt(String(net.get(index))),
      liquidityGross: JSBI.BigInt(String(gross.get(index))),
    }))
  const active = POSITIONS.reduce((a, p) => a + p.liquidity, 0n)
  return new Pool(
    tokenA,
    tokenB,
    500,
    JSBI.BigInt(String(Q96)),
    JSBI.BigInt(String(active)),
    0,
    new TickListDataProvider(ticks, 10),
  )
}

// vitest bench runs no beforeAll hooks before the tasks: set up at module level.
async function setUp(): Promise<{
  chain: LocalChain
  quote: (zeroForOne: boolean, amountIn: bigint) => Promise<bigint>
}> {
  // Parity first: the simulator and the SDK must agree on every output, or the comparison means nothing.
  const sim = freshSimulator()
  let pool = sdkPool()
  for (const s of SWAPS) {
    const out = sim.swap(s.zeroForOne, s.amountIn, s.zeroForOne ? MIN : MAX)
    const [sdkOut, next] = await pool.getOutputAmount(
      CurrencyAmount.fromRawAmount(s.zeroForOne ? tokenA : tokenB, String(s.amountIn)),
    )
    pool = next
    if (String(-(s.zeroForOne ? out.amount1 : out.amount0)) !== sdkOut.quotient.toString())
      throw new Error('simulator and SDK disagree')
  }
  const chain = await startLocalChain()
  const user = chain.accounts[1]!
  const a = await deployTestToken(chain, { name: 'A', symbol: 'A', decimals: 18 })
  const b = await deployTestToken(chain, { name: 'B', symbol: 'B', decimals: 18 })
  const created = await createPool(chain, { tokenA: a, tokenB: b, feePips: 500, sqrtPriceX96: Q96 })
  for (const token of [a, b]) await fundAccount(chain, { token, account: user, amountRaw: 10n ** 30n })
  for (const p of POSITIONS) {
    await addLiquidity(chain, {
      pool: created,
      from: user,
      amount0DesiredRaw: 10n ** 27n,
      amount1DesiredRaw: 10n ** 27n,
      tickLower: p.tickLower,
      tickUpper: p.tickUpper,
    })
  }
  const abi = new Interface(loadUniswapArtifact('QuoterV2').abi)
  const c = chain
  return {
    chain,
    quote: async (zeroForOne: boolean, amountIn: bigint) => {
      const data = abi.encodeFunctionData('quoteExactInputSingle', [
        {
          tokenIn: zeroForOne ? created.token0 : created.token1,
          tokenOut: zeroForOne ? created.token1 : created.token0,
          amountIn,
          fee: 500,
          sqrtPriceLimitX96: 0n,
        },
      ])
      return BigInt(
        await c.provider
          .call({ to: c.uniswap.quoterV2, data })
          .then((r) => abi.decodeFunctionResult('quoteExactInputSingle', r)[0]),
      )
    },
  }
}

const { chain, quote } = await setUp()

describe('100 swaps through three positions', () => {
  afterAll(async () => {
    await chain.stop()
  })

  bench('PoolSimulator (native bigint)', () => {
    const sim = freshSimulator()
    for (const s of SWAPS) sim.swap(s.zeroForOne, s.amountIn, s.zeroForOne ? MIN : MAX)
  })

  bench('@uniswap/v3-sdk Pool.getOutputAmount (JSBI)', async () => {
    let pool = sdkPool()
    for (const s of SWAPS) {
      pool = (
        await pool.getOutputAmount(CurrencyAmount.fromRawAmount(s.zeroForOne ? tokenA : tokenB, String(s.amountIn)))
      )[1]
    }
  })

  // Quotes from the pool's state (each eth_call is one swap simulated by the EVM; the chain state does not advance).
  bench(
    'QuoterV2 eth_call on anvil (real contracts)',
    async () => {
      for (const s of SWAPS) await quote(s.zeroForOne, s.amountIn)
    },
    { iterations: 3, time: 0 },
  )
})

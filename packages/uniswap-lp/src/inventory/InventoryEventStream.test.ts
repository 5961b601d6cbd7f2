import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../errors/liquidity.js'
import { InventoryEventStream } from './InventoryEventStream.js'
import type { InventoryUpdate } from './types.js'

// USDC/WETH with token0 = USDC (6), token1 = WETH (18). Raw price 4e8 wei per USDC unit is 2,500 USD/ETH and has an
// exact square root (2·10^4), so every expected value below is exact.
const sqrtPriceX96 = 20000n * 2n ** 96n
const prices = { token0: '1', token1: '2500' }

function stream() {
  return new InventoryEventStream({
    source: 'uniswap-v3:1:pool',
    decimals0: 6,
    decimals1: 18,
    baseToken: 'token1',
    targetBaseShare: 0.5,
  })
}

describe('InventoryEventStream', () => {
  it('publishes holdings, USD value, deviation and the base to sell or buy', () => {
    const s = stream()
    const received: InventoryUpdate[] = []
    s.on('inventory', (u) => received.push(u))
    // 5,000 USDC + 1 ETH at 2,500: 7,500 USD, ETH = 1/3 of the value; target 50 % = 1.5 ETH → buy 0.5 ETH.
    const u = s.publish({
      tsMs: 1700000000000,
      amount0Raw: 5000n * 10n ** 6n,
      amount1Raw: 10n ** 18n,
      sqrtPriceX96,
      prices,
    })
    expect(received).toEqual([u])
    expect(u).toMatchObject({
      type: 'lp.inventory',
      version: 1,
      seq: 1,
      token0: { decimals: 6, amountRaw: '5000000000', amount: '5000.0' },
      token1: { decimals: 18, amountRaw: '1000000000000000000', amount: '1.0' },
      valueUsd: '7500.000000',
      excessBase: '-0.5',
      targetBaseShare: 0.5,
    })
    expect(u.baseShare).toBeCloseTo(1 / 3, 15)
    expect(u.deviation).toBeCloseTo(1 / 3 - 0.5, 15)
  })

  it('payloads are plain JSON (bigints as strings) and survive a round trip', () => {
    const u = stream().publish({ tsMs: 1, amount0Raw: 1n, amount1Raw: 2n, sqrtPriceX96, prices })
    expect(JSON.parse(JSON.stringify(u))).toEqual(u)
  })

  it('numbers updates 1, 2, 3 and a rejected snapshot leaves no gap', () => {
    const s = stream()
    s.publish({ tsMs: 1, amount0Raw: 1n, amount1Raw: 1n, sqrtPriceX96, prices })
    expect(() => s.publish({ tsMs: 2, amount0Raw: -1n, amount1Raw: 1n, sqrtPriceX96, prices })).toThrow(
      InvalidAmountError,
    )
    expect(s.publish({ tsMs: 3, amount0Raw: 1n, amount1Raw: 1n, sqrtPriceX96, prices }).seq).toBe(2)
    expect(s.lastSeq).toBe(2)
  })

  it('base = token0: the excess is in token0 units', () => {
    // Raw price P = 1/4 (sqrtPriceX96 = 2^95, exact): one token0 unit is worth 0.25 token1 units.
    const s = new InventoryEventStream({
      source: 'x',
      decimals0: 0,
      decimals1: 0,
      baseToken: 'token0',
      targetBaseShare: 0.25,
    })
    // 100 token0 (= 25 token1) + 75 token1: total 100 token1 = 400 token0; base share 0.25 → on target.
    const u = s.publish({
      tsMs: 1,
      amount0Raw: 100n,
      amount1Raw: 75n,
      sqrtPriceX96: 2n ** 95n,
      prices: { token0: '1', token1: '4' },
    })
    expect(u.excessBase).toBe('0') // 0 decimals: no fraction part
    expect(u.deviation).toBe(0)
    // 200 token0 (= 50) + 50 token1: total 100 token1 = 400 token0; target 100 token0 → sell 100 token0.
    expect(
      s.publish({
        tsMs: 2,
        amount0Raw: 200n,
        amount1Raw: 50n,
        sqrtPriceX96: 2n ** 95n,
        prices: { token0: '1', token1: '4' },
      }).excessBase,
    ).toBe('100')
  })
})

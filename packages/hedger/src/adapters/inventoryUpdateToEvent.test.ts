import type { InventoryUpdate } from '@alp/uniswap-lp'
import { describe, expect, it } from 'vitest'
import { inventoryUpdateToEvent } from './inventoryUpdateToEvent.js'

describe('inventoryUpdateToEvent', () => {
  it('derives the target from excessBase exactly and the pool price from sqrtPriceX96', () => {
    // token0 = WETH (18 decimals), token1 = USDC (6). sqrtPriceX96 = 2^96 · √(2000e6/1e18): price 2000 USDC per WETH.
    // √(2e-9) · 2^96 = 3543191142285914205922034 (floor), hand-checked: 3543191142285914205922034² / 2^192 ≈ 2.0e-9.
    const update: InventoryUpdate = {
      type: 'lp.inventory',
      version: 1,
      source: 'test',
      seq: 1,
      tsMs: 0,
      token0: { decimals: 18, amountRaw: '1500000000000000000', amount: '1.5' },
      token1: { decimals: 6, amountRaw: '1000000000', amount: '1000' },
      baseToken: 'token0',
      sqrtPriceX96: '3543191142285914205922034',
      valueUsd: '4000',
      usdPrice0: '2000',
      usdPrice1: '1',
      baseShare: 0.75,
      targetBaseShare: 0.5,
      deviation: 0.25,
      excessBase: '0.5', // 1.5 − 0.5 · 4000 / 2000
    }
    const event = inventoryUpdateToEvent(update, 9n)
    expect(event.baseHeldBase).toBe('1.5')
    expect(event.baseTargetBase).toBe('1.0')
    expect(Number(event.poolPrice)).toBeCloseTo(2000, 6)
    expect(inventoryUpdateToEvent({ ...update, excessBase: '-0.25' }, 9n).baseTargetBase).toBe('1.75')
  })
})

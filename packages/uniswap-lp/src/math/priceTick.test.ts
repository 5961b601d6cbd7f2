import { Token } from '@uniswap/sdk-core'
import { encodeSqrtRatioX96 as sdkEncodeSqrtRatioX96, tickToPrice as sdkTickToPrice } from '@uniswap/v3-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors/parameter.js'
import { InvalidDecimalsError, InvalidPriceError } from '../errors/token.js'
import { fromJsbi } from '../internal/jsbi.js'
import { encodeSqrtRatioX96 } from './encodeSqrtRatioX96.js'
import {
  formatSqrtPriceX96,
  type PriceOrientation,
  priceToSqrtPriceX96,
  priceToTick,
  sortsBefore,
  sqrtPriceX96ToPrice,
  tickToPrice,
} from './priceTick.js'
import { getSqrtRatioAtTick, getTickAtSqrtRatio } from './tickMath.js'

// Mainnet USDC/WETH: USDC (0xA0b8…) sorts before WETH (0xC02a…), so token0 = USDC (6), token1 = WETH (18).
const USDC_ADDRESS = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'
const WETH_ADDRESS = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2'
const usdcWeth: PriceOrientation = { baseToken: 'token1', decimals0: 6, decimals1: 18 } // human price: USD per ETH

describe('token order', () => {
  it('USDC sorts before WETH (token0 = USDC)', () => {
    expect(sortsBefore(USDC_ADDRESS, WETH_ADDRESS)).toBe(true)
    expect(sortsBefore(WETH_ADDRESS, USDC_ADDRESS)).toBe(false)
  })
  it('rejects malformed or equal addresses', () => {
    expect(() => sortsBefore('0x12', WETH_ADDRESS)).toThrow(InvalidParameterError)
    expect(() => sortsBefore(WETH_ADDRESS, WETH_ADDRESS.toLowerCase())).toThrow(InvalidParameterError)
  })
})

describe('human price ↔ sqrtPriceX96 ↔ tick', () => {
  it('USDC/WETH at 2000 USD per ETH: raw price is inverted and scaled by 10^12', () => {
    // raw = WETH wei per USDC unit = 1e18 / (2000 · 1e6) = 5e8 → sqrtPriceX96 = sqrt(5e8)·2^96
    expect(priceToSqrtPriceX96('2000', usdcWeth)).toBe(fromJsbi(sdkEncodeSqrtRatioX96('500000000', '1')))
    // tick = floor(ln(5e8) / ln(1.0001)); 5e8 is far from a tick boundary so the float is safe
    expect(priceToTick('2000', usdcWeth)).toBe(Math.floor(Math.log(5e8) / Math.log(1.0001)))
    expect(priceToTick('2000', usdcWeth)).toBe(200311)
    // higher USD price → lower tick when base is token1
    expect(priceToTick('4000', usdcWeth)).toBeLessThan(priceToTick('2000', usdcWeth))
  })

  it('base = token0 (WETH/USDC with WETH as token0, 18/6): human price maps directly', () => {
    const o: PriceOrientation = { baseToken: 'token0', decimals0: 18, decimals1: 6 }
    // raw = USDC units per WETH wei = 2000 · 1e6 / 1e18 = 2e-9
    expect(priceToSqrtPriceX96('2000', o)).toBe(encodeSqrtRatioX96(2000n * 10n ** 6n, 10n ** 18n))
    expect(priceToTick(2000, o)).toBe(Math.floor(Math.log(2e-9) / Math.log(1.0001)))
  })

  it('numbers and decimal strings (incl. exponents) agree', () => {
    expect(priceToSqrtPriceX96(2000.5, usdcWeth)).toBe(priceToSqrtPriceX96('2000.5', usdcWeth))
    expect(priceToSqrtPriceX96(1e-7, usdcWeth)).toBe(priceToSqrtPriceX96('0.0000001', usdcWeth))
    expect(priceToSqrtPriceX96('2.0005e3', usdcWeth)).toBe(priceToSqrtPriceX96('2000.5', usdcWeth))
  })

  it('tickToPrice equals @uniswap/v3-sdk tickToPrice for both token orders', () => {
    const usdc = new Token(1, USDC_ADDRESS, 6)
    const weth = new Token(1, WETH_ADDRESS, 18)
    fc.assert(
      fc.property(fc.integer({ min: 150000, max: 250000 }), (tick) => {
        const ethInUsd = Number(sdkTickToPrice(weth, usdc, tick).toSignificant(12))
        expect(tickToPrice(tick, usdcWeth) / ethInUsd - 1).toBeCloseTo(0, 10)
        const usdInEth = Number(sdkTickToPrice(usdc, weth, tick).toSignificant(12))
        const o: PriceOrientation = { baseToken: 'token0', decimals0: 6, decimals1: 18 }
        expect(tickToPrice(tick, o) / usdInEth - 1).toBeCloseTo(0, 10)
      }),
      { numRuns: 300 },
    )
  })

  it('priceToTick equals getTickAtSqrtRatio(priceToSqrtPriceX96) on random prices, decimals and orders', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-20, max: 1e20, noNaN: true }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 24 }),
        fc.constantFrom('token0' as const, 'token1' as const),
        (price, decimals0, decimals1, baseToken) => {
          const o: PriceOrientation = { baseToken, decimals0, decimals1 }
          let viaSqrt: number | null
          try {
            viaSqrt = getTickAtSqrtRatio(priceToSqrtPriceX96(price, o))
          } catch {
            // Out of the pool's price range: priceToTick must throw as well.
            viaSqrt = null
          }
          if (viaSqrt === null) expect(() => priceToTick(price, o)).toThrow()
          else expect(priceToTick(price, o)).toBe(viaSqrt)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('price → tick → price stays within one tick (0.01 %)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 100000, noNaN: true }), (price) => {
        const tick = priceToTick(price, usdcWeth)
        const back = tickToPrice(tick, usdcWeth)
        // base token1: the tick's price is the largest raw price ≤ target, so the human price is ≥ target
        expect(back >= price * (1 - 1e-12)).toBe(true)
        expect(back / price).toBeLessThan(1.0001 + 1e-12)
      }),
    )
  })

  it('sqrtPriceX96ToPrice and formatSqrtPriceX96 are exact to the digit', () => {
    // sqrt price for raw 4 (token1 per token0) with equal decimals: 2·2^96
    const o: PriceOrientation = { baseToken: 'token0', decimals0: 18, decimals1: 18 }
    expect(sqrtPriceX96ToPrice(2n * 2n ** 96n, o)).toBe(4)
    expect(sqrtPriceX96ToPrice(2n * 2n ** 96n, { ...o, baseToken: 'token1' })).toBe(0.25)
    expect(formatSqrtPriceX96(2n * 2n ** 96n, { ...o, baseToken: 'token1' }, 4)).toBe('0.2500')
    expect(formatSqrtPriceX96(getSqrtRatioAtTick(0), o, 0)).toBe('1')
  })

  it('rejects bad decimals and bad prices with typed errors', () => {
    expect(() => priceToTick('2000', { ...usdcWeth, decimals0: 6.5 })).toThrow(InvalidDecimalsError)
    expect(() => priceToTick('2000', { ...usdcWeth, decimals1: -1 })).toThrow(/decimals1 = -1/)
    expect(() => priceToTick('2000', { ...usdcWeth, decimals1: 256 })).toThrow(InvalidDecimalsError)
    expect(() => priceToTick('0', usdcWeth)).toThrow(InvalidPriceError)
    expect(() => priceToTick('-1', usdcWeth)).toThrow(InvalidPriceError)
    expect(() => priceToTick('abc', usdcWeth)).toThrow(InvalidPriceError)
    expect(() => priceToTick(Number.POSITIVE_INFINITY, usdcWeth)).toThrow(InvalidPriceError)
  })
})

describe('encodeSqrtRatioX96 (v3-sdk vectors)', () => {
  it('1/1, 100/1, 1/100, 111/333, 333/111', () => {
    expect(encodeSqrtRatioX96(1n, 1n)).toBe(79228162514264337593543950336n)
    expect(encodeSqrtRatioX96(100n, 1n)).toBe(792281625142643375935439503360n)
    expect(encodeSqrtRatioX96(1n, 100n)).toBe(7922816251426433759354395033n)
    expect(encodeSqrtRatioX96(111n, 333n)).toBe(45742400955009932534161870629n)
    expect(encodeSqrtRatioX96(333n, 111n)).toBe(137227202865029797602485611888n)
  })
  it('equals the SDK on random amounts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n }), fc.bigInt({ min: 1n, max: 2n ** 128n }), (a1, a0) => {
        expect(encodeSqrtRatioX96(a1, a0)).toBe(fromJsbi(sdkEncodeSqrtRatioX96(a1.toString(), a0.toString())))
      }),
    )
  })
})

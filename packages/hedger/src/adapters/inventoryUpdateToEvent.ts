import type { InventoryUpdate } from '@alp/uniswap-lp'
import { VenueDataError } from '../errors/adapter.js'
import type { LpInventoryEvent } from '../messages/events.js'
import { parseDecimalString } from '../venue/decimalTicks.js'

const Q192 = 2n ** 192n

/**
 * Converts @alp/uniswap-lp's `InventoryUpdate` to the core's `lpInventory` event: base held = the base token's
 * `amount`, target = amount − `excessBase` (exact decimal arithmetic), pool price = quote per base from sqrtPriceX96
 * and the token decimals (a float rendered with 12 decimals: a monitor input, not an amount).
 * @throws VenueDataError when `amount` or `excessBase` is not a decimal string.
 */
export function inventoryUpdateToEvent(update: InventoryUpdate, tsNs: bigint): LpInventoryEvent {
  const base = update.baseToken === 'token0' ? update.token0 : update.token1
  const sqrtPriceX96 = BigInt(update.sqrtPriceX96)
  // token1 per token0 in whole tokens = sqrtP² / 2^192 · 10^(decimals0 − decimals1)
  const ratio = Number((sqrtPriceX96 * sqrtPriceX96 * 10n ** 36n) / Q192) / 1e36
  const price1Per0 = ratio * 10 ** (update.token0.decimals - update.token1.decimals)
  const poolPrice = update.baseToken === 'token0' ? price1Per0 : 1 / price1Per0
  return {
    type: 'lpInventory',
    tsNs,
    baseHeldBase: base.amount,
    baseTargetBase: subtractDecimals(base.amount, update.excessBase),
    poolPrice: poolPrice.toFixed(12),
  }
}

/** a − b for decimal strings, exact. */
function subtractDecimals(a: string, b: string): string {
  const x = parseDecimalString(a)
  const y = parseDecimalString(b)
  if (x === null) throw new VenueDataError({ venue: 'lp', field: 'amount', value: a, rule: 'a decimal string' })
  if (y === null) throw new VenueDataError({ venue: 'lp', field: 'excessBase', value: b, rule: 'a decimal string' })
  const scale = Math.max(x.scale, y.scale)
  const value = x.mantissa * 10n ** BigInt(scale - x.scale) - y.mantissa * 10n ** BigInt(scale - y.scale)
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
  return negative ? `-${text}` : text
}

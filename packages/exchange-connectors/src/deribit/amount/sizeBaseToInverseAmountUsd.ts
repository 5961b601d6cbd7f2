import { DecimalGrid, parseDecimal } from '../../common/decimal.js'
import { InvalidDecimalError } from '../../errors/decimal.js'
import { DeribitAmountBelowMinimumError } from '../../errors/deribit.js'

export type SizeBaseToInverseAmountUsdParameters = {
  readonly instrumentName: string
  /** Base-coin size of the order (> 0), decimal string. */
  readonly sizeBase: string
  /** The order's limit price in USD per coin (> 0), decimal string. */
  readonly price: string
  /** USD per contract (`contract_size`: 10 for BTC-PERPETUAL, 1 for ETH-PERPETUAL). */
  readonly contractSizeUsd: string
  /** `min_trade_amount` in USD. */
  readonly minTradeAmountUsd: string
}

export type SizeBaseToInverseAmountUsdReturnType = {
  /** Deribit `amount` to send: a multiple of the contract size, as a decimal string. */
  readonly amountUsd: string
  readonly contracts: bigint
}

export type SizeBaseToInverseAmountUsdErrorType = DeribitAmountBelowMinimumError | InvalidDecimalError

/**
 * The USD `amount` of an inverse-instrument order (`BTC-PERPETUAL`, `BTC-27DEC24`) for a base-coin size:
 * `floor(sizeBase · price / contractSize) · contractSize`, computed exactly on scaled integers. Rounding is always
 * DOWN, so the USD sent is never more than `sizeBase` is worth at the order's own price (never over-hedge).
 * @throws DeribitAmountBelowMinimumError when the result is below `min_trade_amount` (or zero contracts).
 * @throws InvalidDecimalError when an input is not a plain positive decimal.
 */
export function sizeBaseToInverseAmountUsd(
  parameters: SizeBaseToInverseAmountUsdParameters,
): SizeBaseToInverseAmountUsdReturnType {
  const size = positive(parameters.sizeBase, 'sizeBase')
  const price = positive(parameters.price, 'price')
  const grid = new DecimalGrid(parameters.contractSizeUsd, 'contractSizeUsd')
  // size·price / contract = (s·10^-a)(p·10^-b) / (c·10^-g) = s·p·10^g / (c·10^(a+b))
  const numerator = size.mantissa * price.mantissa * 10n ** BigInt(grid.scale)
  const denominator = grid.incrementScaled * 10n ** BigInt(size.scale + price.scale)
  const contracts = numerator / denominator // both > 0: integer division is floor
  const amountUsd = grid.format(contracts)
  const min = parseDecimal(parameters.minTradeAmountUsd, 'minTradeAmountUsd')
  // amount < min  ⇔  contracts·c·10^(-g) < m·10^(-k)  ⇔  contracts·c·10^k < m·10^g
  const belowMin =
    contracts * grid.incrementScaled * 10n ** BigInt(min.scale) < min.mantissa * 10n ** BigInt(grid.scale)
  if (contracts === 0n || belowMin)
    throw new DeribitAmountBelowMinimumError({
      instrumentName: parameters.instrumentName,
      sizeBase: parameters.sizeBase,
      price: parameters.price,
      amountUsd,
      minTradeAmountUsd: parameters.minTradeAmountUsd,
    })
  return { amountUsd, contracts }
}

function positive(value: string, field: string) {
  const decimal = parseDecimal(value, field)
  if (decimal.mantissa <= 0n) throw new InvalidDecimalError({ field, value, rule: '> 0' })
  return decimal
}

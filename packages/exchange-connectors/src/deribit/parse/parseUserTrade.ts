import type { Fill } from '../../common/types/account.js'
import { inverseAmountUsdToSizeBase } from '../amount/inverseAmountUsdToSizeBase.js'
import { isInverseInstrumentName } from './isInverseInstrumentName.js'
import { numberToDecimalString } from './numberToDecimalString.js'
import {
  readDeribitEnum,
  readDeribitNumber,
  readDeribitObject,
  readDeribitOptionalString,
  readDeribitSafeInteger,
  readDeribitString,
} from './readDeribitField.js'

/** A Deribit fill; on inverse instruments `sizeQuote` is Deribit's USD `amount` (undefined otherwise). */
export type DeribitFill = Fill & { readonly sizeQuote: string | undefined }

/**
 * One element of `user.trades.*` (or the `trades` of private/buy) → `DeribitFill`. Inverse instruments: `sizeBase` =
 * USD `amount` / fill `price`, truncated toward zero at 12 decimals; the fee is in the coin (`fee_currency`).
 * Checked: `direction` `buy|sell` and `liquidity` `M|T` exactly; `price` and `amount` finite and > 0; `fee` finite
 * (a rebate is negative); `timestamp` a safe integer; ids and currency non-empty strings.
 * @throws MalformedFrameError naming the first bad field.
 */
export function parseDeribitUserTrade(data: unknown): DeribitFill {
  const o = readDeribitObject(data, 'trade')
  const symbol = readDeribitString(o, 'instrument_name')
  const orderId = readDeribitString(o, 'order_id')
  const tradeId = readDeribitString(o, 'trade_id')
  const side = readDeribitEnum(o, 'direction', ['buy', 'sell'] as const)
  const liquidity = readDeribitEnum(o, 'liquidity', ['M', 'T'] as const)
  const price = numberToDecimalString(readDeribitNumber(o, 'price', 'positive'), 'price')
  const amount = numberToDecimalString(readDeribitNumber(o, 'amount', 'positive'), 'amount')
  const fee = numberToDecimalString(readDeribitNumber(o, 'fee', 'any'), 'fee')
  const feeAsset = readDeribitString(o, 'fee_currency')
  const tsExchangeMs = readDeribitSafeInteger(o, 'timestamp')
  const label = readDeribitOptionalString(o, 'label') ?? ''
  const inverse = isInverseInstrumentName(symbol)
  return {
    venue: 'deribit',
    symbol,
    orderId,
    clientOrderId: label,
    tradeId,
    side,
    price,
    sizeBase: inverse ? inverseAmountUsdToSizeBase(amount, price) : amount,
    fee,
    feeAsset,
    isMaker: liquidity === 'M',
    tsExchangeMs,
    raw: data,
    sizeQuote: inverse ? amount : undefined,
  }
}

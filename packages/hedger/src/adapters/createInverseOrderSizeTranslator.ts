import type { Order } from '@alp/exchange-connectors'
import { HedgerError } from '../errors/base.js'
import { type DecimalStep, parseDecimalString, toDecimalStep } from '../venue/decimalTicks.js'
import { isSameDecimal } from '../venue/isSameDecimal.js'
import { sizeBaseToInverseContracts } from '../venue/sizeBaseToInverseContracts.js'

/**
 * Reports inverse-instrument orders in the sizes the core sent. The connector sends an order's base size as whole USD
 * contracts rounded down at its price and reports it back as USD / price, so an order placed at N lots can come back
 * as M ≠ N lots; the core compares an update's size with the size it asked for (a different one means "from before
 * the amend"), so it must see N. Rule: when an order's USD amount (`sizeQuote`) is exactly what one of our sends for
 * that client id produced at the same limit price (`sizeBaseToInverseContracts`, the connector's own rounding), its
 * `sizeBase` is reported as the size we sent; otherwise (an order of another run, an amount changed elsewhere) the
 * venue's size is kept and rounded to the nearest lot by the conversion. Filled sizes are never changed: they are what
 * the venue filled (USD / average price), consistent with the fills.
 */
export type InverseOrderSizeTranslator = {
  /** Remembers a base size and price sent for an order (call it before sending a place or an amend). */
  sent(clientOrderId: string, sizeBase: string, price: string): void
  /** The order with `sizeBase` as we sent it when its USD amount matches one of our sends; a final order is forgotten. */
  order<O extends Order & { readonly sizeQuote?: string | undefined }>(order: O): O
}

export type CreateInverseOrderSizeTranslatorOptions = {
  /** Quote units (USD) per contract: Deribit ETH-PERPETUAL "1", BTC-PERPETUAL "10". */
  readonly contractSizeQuote: string
  /** Orders remembered at most (the oldest is forgotten first). Default 4096. */
  readonly maxOrders?: number
}

/** Sends remembered per order: the last one and the one before (an update from before an amend). */
const SENDS_PER_ORDER = 2

/**
 * Builds an {@link InverseOrderSizeTranslator}.
 * @throws HedgerError (`INVALID_CONTRACT_SIZE`) when `contractSizeQuote` is not a positive decimal string.
 */
export function createInverseOrderSizeTranslator(
  options: CreateInverseOrderSizeTranslatorOptions,
): InverseOrderSizeTranslator {
  const contractSize = toDecimalStep(options.contractSizeQuote)
  if (contractSize === null)
    throw new HedgerError(
      `contractSizeQuote must be a positive decimal string, got ${JSON.stringify(options.contractSizeQuote)}.`,
      { code: 'INVALID_CONTRACT_SIZE', metaMessages: ['Next: pass the instrument contract size (Deribit: 1 or 10).'] },
    )
  const maxOrders = options.maxOrders ?? 4096
  const sends = new Map<string, { readonly sizeBase: string; readonly price: string }[]>()
  return {
    sent(clientOrderId, sizeBase, price) {
      const list = sends.get(clientOrderId) ?? []
      sends.delete(clientOrderId) // re-inserted last: the map's order is the order of last use
      sends.set(clientOrderId, [...list, { sizeBase, price }].slice(-SENDS_PER_ORDER))
      if (sends.size > maxOrders) sends.delete(sends.keys().next().value as string)
    },
    order(order) {
      const list = sends.get(order.clientOrderId)
      if (
        order.state === 'filled' ||
        order.state === 'canceled' ||
        order.state === 'expired' ||
        order.state === 'rejected'
      )
        sends.delete(order.clientOrderId)
      if (list === undefined || order.sizeQuote === undefined) return order
      for (let i = list.length - 1; i >= 0; i--) {
        const send = list[i] as { sizeBase: string; price: string }
        if (!isSameDecimal(send.price, order.price)) continue
        if (
          sameAmount(order.sizeQuote, sizeBaseToInverseContracts(send.sizeBase, send.price, contractSize), contractSize)
        )
          return { ...order, sizeBase: send.sizeBase }
      }
      return order
    },
  }
}

/** `amountQuote` is exactly `contracts` contracts. */
function sameAmount(amountQuote: string, contracts: bigint | null, contractSize: DecimalStep): boolean {
  const amount = parseDecimalString(amountQuote)
  if (!amount || contracts === null) return false
  // q·10^-qs = n·c·10^-cs  ⇔  q·10^cs = n·c·10^qs
  return (
    amount.mantissa * 10n ** BigInt(contractSize.scale) ===
    contracts * contractSize.mantissa * 10n ** BigInt(amount.scale)
  )
}

import type { BinanceConnector } from '@alp/exchange-connectors'

let pokes = 0

/**
 * Moves the top of the Binance emulator's ETHUSDT book (a bid above the best, placed and cancelled by `taker`): depth
 * and BBO events.
 */
export async function pokeBinance(taker: BinanceConnector): Promise<void> {
  const clientOrderId = `poke-${++pokes}`
  await taker.execution.placeOrder({
    symbol: 'ETHUSDT',
    side: 'buy',
    price: '2676.00',
    sizeBase: '0.010',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await taker.execution.cancelOrder({ symbol: 'ETHUSDT', clientOrderId })
}

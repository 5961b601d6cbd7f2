import { InvalidConfigError } from '../errors/config.js'
import type { ExchangeKind } from './types.js'

/**
 * A fillable order fills up to `participation` × the bar's volume (hftbacktest `PartialFillExchange`, bar form): the
 * rest stays working for later bars.
 */
export function partialFill({ participation }: { participation: number }): ExchangeKind {
  if (!(participation > 0 && participation <= 1)) {
    throw new InvalidConfigError({ field: 'exchange.participation', value: String(participation), rule: 'in (0, 1]' })
  }
  return {
    kind: 'partialFill',
    fillLots: (order, bar) => Math.min(order.sizeLots - order.filledLots, Math.floor(bar.volumeLots * participation)),
  }
}

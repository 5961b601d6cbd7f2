import { MalformedFrameError } from '../errors/transport.js'
import { type DeribitInstrument, parseDeribitInstrument } from './parse/parseInstrument.js'
import type { DeribitRpcClient } from './ws/client.js'

/**
 * Deribit instruments by name, loaded once each with `public/get_instrument` and cached (contract size, tick size and
 * minimum amount do not change while an instrument trades). Concurrent first requests share one venue call; a failed
 * load is not cached.
 */
export class DeribitInstrumentProvider {
  private readonly rpc: DeribitRpcClient
  private readonly cache = new Map<string, Promise<DeribitInstrument>>()

  constructor(rpc: DeribitRpcClient) {
    this.rpc = rpc
  }

  /** The instrument `instrumentName` (e.g. `BTC-PERPETUAL`). */
  get(instrumentName: string): Promise<DeribitInstrument> {
    const cached = this.cache.get(instrumentName)
    if (cached) return cached
    const loading = this.rpc
      .request('public/get_instrument', { instrument_name: instrumentName })
      .then(parseDeribitInstrument)
    this.cache.set(instrumentName, loading)
    loading.catch(() => {
      // the caller of get() receives the error; a later get() retries the venue
      if (this.cache.get(instrumentName) === loading) this.cache.delete(instrumentName)
    })
    return loading
  }

  /** Every instrument of a currency (`BTC`, `ETH`, `USDC`) and kind, fresh from the venue; each is cached by name. */
  async list(currency: string, kind?: string): Promise<DeribitInstrument[]> {
    const result = await this.rpc.request('public/get_instruments', {
      currency,
      ...(kind === undefined ? {} : { kind }),
    })
    if (!Array.isArray(result))
      throw new MalformedFrameError({ venue: 'deribit', field: 'result', reason: 'of get_instruments is not an array' })
    const instruments = result.map(parseDeribitInstrument)
    for (const i of instruments) this.cache.set(i.instrumentName, Promise.resolve(i))
    return instruments
  }
}

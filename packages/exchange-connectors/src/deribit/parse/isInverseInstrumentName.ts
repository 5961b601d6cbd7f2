import { InvalidDeribitInstrumentNameError } from '../../errors/deribit.js'
import { MalformedFrameError } from '../../errors/transport.js'
import { getDeribitAmountUnit, parseDeribitInstrumentName } from '../instrumentName.js'

/**
 * True when a Deribit payload's instrument trades USD amounts (inverse perpetual or dated future: `BTC-PERPETUAL`,
 * `BTC-27DEC24`). A name that does not parse makes the payload malformed (it is dropped and reported, never guessed).
 */
export function isInverseInstrumentName(instrumentName: string): boolean {
  try {
    return getDeribitAmountUnit(parseDeribitInstrumentName(instrumentName)) === 'usd'
  } catch (error) {
    if (!(error instanceof InvalidDeribitInstrumentNameError)) throw error
    throw new MalformedFrameError({
      venue: 'deribit',
      field: 'instrument_name',
      reason: `${JSON.stringify(instrumentName.length > 64 ? `${instrumentName.slice(0, 64)}…` : instrumentName)} is not a Deribit instrument name`,
      cause: error,
    })
  }
}

import { describe, expect, it } from 'vitest'
import { InvalidMessageError } from '../errors/message.js'
import { decodeHedgerMessage, encodeHedgerMessage } from './codec.js'
import type { HedgerEvent } from './events.js'

describe('hedger message codec', () => {
  it('writes tsNs as a decimal string and reads it back as bigint', () => {
    const event: HedgerEvent = {
      type: 'bbo',
      tsNs: 1_732_400_000_123_456_789n, // > 2^53: would lose digits as a JSON number
      venue: 'binance',
      bidPriceTicks: 300_000,
      bidSizeLots: 12,
      askPriceTicks: 300_001,
      askSizeLots: 3,
    }
    const text = encodeHedgerMessage(event)
    expect(text).toContain('"tsNs":"1732400000123456789"')
    expect(decodeHedgerMessage(text)).toEqual(event)
  })
  it('names the bad field', () => {
    expect(() => decodeHedgerMessage('{"type":"bbo","tsNs":12}')).toThrow(InvalidMessageError)
    expect(() => decodeHedgerMessage('{"type":"bbo","tsNs":12}')).toThrow(/tsNs/)
    expect(() => decodeHedgerMessage('{"type":"nope","tsNs":"1"}')).toThrow(/type/)
    expect(() => decodeHedgerMessage('not json')).toThrow(/message/)
  })
})

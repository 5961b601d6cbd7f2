import { describe, expect, it } from 'vitest'
import { InvalidConfigError } from '../errors/config.js'
import { fromSeedParameters } from './fromSeedParameters.js'
import { parseHedgerConfig } from './parseHedgerConfig.js'

const venue = { venue: 'binance', tickSize: '0.01', stepSize: '0.001' }

describe('parseHedgerConfig', () => {
  it('fills the documented defaults', () => {
    const config = parseHedgerConfig({ venues: [venue] })
    expect(config.model.type).toBe('GLFT')
    expect(config.hedge.targetNetBase).toBe(0)
    expect(config.calibration.intensity.mode).toBe('online')
    expect(config.venues[0]?.maxOpenOrders).toBe(4)
    expect(config.venues[0]?.tick.scale).toBe(2)
    expect(config.venues[0]?.staleAfterNs).toBe(5_000_000_000n)
    expect(config.hedge.lpInventoryStaleAfterMs).toBe(60_000)
    expect(config.lpInventoryStaleAfterNs).toBe(60_000_000_000n)
  })
  it('hedge.lpInventoryStaleAfterMs is a positive whole number of milliseconds (no off switch)', () => {
    const config = parseHedgerConfig({ venues: [venue], hedge: { lpInventoryStaleAfterMs: 2_500 } })
    expect(config.lpInventoryStaleAfterNs).toBe(2_500_000_000n)
    for (const bad of [0, -1, 1.5])
      expect(() => parseHedgerConfig({ venues: [venue], hedge: { lpInventoryStaleAfterMs: bad } })).toThrow(
        /hedge\.lpInventoryStaleAfterMs/,
      )
  })
  it('names the bad field in the error', () => {
    const bad = () => parseHedgerConfig({ venues: [{ ...venue, tickSize: '0,01' }] })
    expect(bad).toThrow(InvalidConfigError)
    try {
      bad()
    } catch (error) {
      expect((error as InvalidConfigError).field).toBe('venues.0.tickSize')
      expect((error as InvalidConfigError).code).toBe('INVALID_CONFIG')
      expect((error as Error).message).toContain('"0,01"')
    }
    expect(() => parseHedgerConfig({ venues: [venue], model: { type: 'XYZ' } })).toThrow(/model\.type/)
    expect(() => parseHedgerConfig({ venues: [venue, venue] })).toThrow(/unique/)
    expect(() => parseHedgerConfig({ venues: [{ ...venue, maxOpenOrders: 1 }] })).toThrow(/venues\.0\.maxOpenOrders/)
    expect(() => parseHedgerConfig({ venues: [{ ...venue, deadManRearmMs: 20_000 }] })).toThrow(/deadManRearmMs/)
  })
  it('venues[].contract: linear by default; inverse needs contractSizeQuote (USD per contract), parsed to a grid', () => {
    expect(parseHedgerConfig({ venues: [venue] }).venues[0]?.contract).toEqual({ type: 'linear' })
    expect(parseHedgerConfig({ venues: [venue] }).venues[0]?.contractSizeQuoteStep).toBeNull()
    const inverse = parseHedgerConfig({
      venues: [{ ...venue, contract: { type: 'inverse', contractSizeQuote: '10' } }],
    }).venues[0]
    expect(inverse?.contract).toEqual({ type: 'inverse', contractSizeQuote: '10' })
    expect(inverse?.contractSizeQuoteStep).toMatchObject({ mantissa: 10n, scale: 0 })
    expect(() => parseHedgerConfig({ venues: [{ ...venue, contract: { type: 'inverse' } }] })).toThrow(
      /venues\.0\.contract\.contractSizeQuote/,
    )
    expect(() =>
      parseHedgerConfig({ venues: [{ ...venue, contract: { type: 'inverse', contractSizeQuote: '-1' } }] }),
    ).toThrow(/venues\.0\.contract\.contractSizeQuote/)
    expect(() => parseHedgerConfig({ venues: [{ ...venue, contract: { type: 'quanto' } }] })).toThrow(
      /venues\.0\.contract/,
    )
  })
  it('maps the seed parameters (BASE_SPREAD 0.02, REBALANCE_THRESHOLD 0.10, FEE_TIER 0.0005, MODEL_TYPE)', () => {
    const seed = fromSeedParameters({ BASE_SPREAD: 0.02, REBALANCE_THRESHOLD: 0.1, FEE_TIER: 0.0005, MODEL_TYPE: 'AS' })
    const config = parseHedgerConfig({ venues: [venue], ...seed })
    expect(config.model.type).toBe('AS')
    // BASE_SPREAD is the base range's half-width, as in @alp/uniswap-lp's fromSeedConfig: ±2 % = 200 bps.
    expect(config.lp.minHalfWidthBps).toBe(200)
    expect(config.lp.rebalanceThreshold).toBe(0.1)
    expect(config.lp.poolFeeBps).toBeCloseTo(5, 12) // 0.0005 × 10⁴
    expect(config.risk.maxBasisBps).toBe(100)
  })
})

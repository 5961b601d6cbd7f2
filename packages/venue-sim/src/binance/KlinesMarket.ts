import { readFileSync } from 'node:fs'
import { ReplayFormatError } from '../errors/binance.js'
import type { MatchingEngine } from '../matching/MatchingEngine.js'
import { parseScaled } from '../matching/parseScaled.js'
import { SimulatedMarket } from '../matching/SimulatedMarket.js'

export type KlinesMarketOptions = {
  engine: MatchingEngine
  symbol: string
  /** CSV with header open_time,open,high,low,close,volume (Binance kline columns, first six). */
  file: string
  seed: number
  startMs: number
  /** Time compression: 60 = one kline minute per emulator second. Default 1. */
  speed?: number | undefined
  stepMs?: number | undefined
}

/**
 * Klines-driven market: the mid follows each minute's open → close linearly (compressed by `speed`), with the same seeded
 * external ladder and trades as the simulated market. Holds the last close after the file ends.
 */
export function createKlinesMarket(options: KlinesMarketOptions): SimulatedMarket {
  const inst = options.engine.instrument(options.symbol)
  const rows = readFileSync(options.file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
  const header = rows.shift()
  if (!header?.startsWith('open_time')) {
    throw new ReplayFormatError({ file: options.file, line: 1, reason: 'expected a header starting with open_time' })
  }
  const toTicks = (value: string, line: number): bigint => {
    const units = parseScaled(value, inst.priceDecimals, 'price')
    if (units % inst.tickUnits !== 0n)
      throw new ReplayFormatError({ file: options.file, line, reason: `price ${value} off tick` })
    return units / inst.tickUnits
  }
  const bars = rows.map((row, i) => {
    const [, open, , , close] = row.split(',')
    if (open === undefined || close === undefined) {
      throw new ReplayFormatError({ file: options.file, line: i + 2, reason: 'expected 6 columns' })
    }
    return { open: toTicks(open, i + 2), close: toTicks(close, i + 2) }
  })
  if (bars.length === 0) throw new ReplayFormatError({ file: options.file, line: 2, reason: 'no kline rows' })
  const speed = options.speed ?? 1
  const midAt = (nowMs: number): bigint => {
    const klineMs = (nowMs - options.startMs) * speed
    const i = Math.floor(klineMs / 60_000)
    const last = bars[bars.length - 1] as { open: bigint; close: bigint }
    if (i >= bars.length) return last.close
    const bar = bars[Math.max(0, i)] as { open: bigint; close: bigint }
    const fractionPpm = BigInt(Math.floor(((klineMs - i * 60_000) / 60_000) * 1_000_000))
    return bar.open + ((bar.close - bar.open) * fractionPpm) / 1_000_000n
  }
  return new SimulatedMarket({
    engine: options.engine,
    symbol: options.symbol,
    seed: options.seed,
    startMidTicks: (bars[0] as { open: bigint }).open,
    startMs: options.startMs,
    stepMs: options.stepMs,
    midAt,
  })
}

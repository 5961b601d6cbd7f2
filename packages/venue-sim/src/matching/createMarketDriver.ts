import { isReplayTimeClock } from '../clock/types.js'
import { InvalidEmulatorConfigError } from '../errors/binance.js'
import { KlinesMarket } from './KlinesMarket.js'
import type { MarketDriver } from './MarketDriver.js'
import type { MarketTimeline } from './MarketTimeline.js'
import type { MatchingEngine } from './MatchingEngine.js'
import type { MarketSizeUnits } from './marketUnits.js'
import { parseScaled } from './parseScaled.js'
import { ReplayMarket } from './ReplayMarket.js'
import { SimulatedMarket } from './SimulatedMarket.js'
import type { Clock } from './types.js'

/** Seeded random-walk book around a start mid (see `SimulatedMarket`). */
export type SimulatedMarketConfig = {
  kind: 'simulated'
  /** Engine symbol (venue instrument name). Default: the emulator's first instrument. */
  symbol?: string | undefined
  seed?: number | undefined
  /** Start mid, decimal string, e.g. "2681.62". */
  midPrice: string
  stepMs?: number | undefined
  maxStepTicks?: number | undefined
  levels?: number | undefined
  halfSpreadTicks?: number | undefined
  tradeProbability?: number | undefined
  maxTradeLots?: number | undefined
}

/** A klines CSV replayed as a tape that reproduces every bar, with a seeded ladder around it (see `KlinesMarket`). */
export type KlinesMarketConfig = {
  kind: 'klines'
  symbol?: string | undefined
  /** CSV with header open_time,open,high,low,close,volume (volume in the base coin). */
  file: string
  /** Seed of the ladder sizes. Default 1. */
  seed?: number | undefined
  /**
   * Wall clock only: time compression (60 = one kline minute per emulator second, from the emulator's start). On a
   * replay clock the data's time is the clock's time and speed lives in the clock: setting it here is an error.
   */
  speed?: number | undefined
  /**
   * Emulator time (ms) at which the data's first timestamp plays. On a replay clock default: the data's own time (set it
   * to replay data recorded on another day at the run's time; a multiple of 60 s keeps klines on minute boundaries). On
   * the wall clock default: the emulator's start.
   */
  startMs?: number | undefined
  /** Emulator ms between ladder re-centerings. Default 1000 on a replay clock, 100 on the wall clock. */
  stepMs?: number | undefined
  levels?: number | undefined
  halfSpreadTicks?: number | undefined
  maxLevelLots?: number | undefined
}

/** A Binance L2 + trades capture replayed into the venue's book (see `ReplayMarket`). */
export type ReplayMarketConfig = {
  kind: 'replay'
  symbol?: string | undefined
  /** "<recv_ts_ns> <combined-stream json>" lines with a REST snapshot line, gzip or plain. */
  file: string
  /** Wall clock only: time compression from the emulator's start (see {@link KlinesMarketConfig.speed}). */
  speed?: number | undefined
  /**
   * Emulator time (ms) at which the data's first timestamp plays. On a replay clock default: the data's own time (set it
   * to replay data recorded on another day at the run's time; a multiple of 60 s keeps klines on minute boundaries). On
   * the wall clock default: the emulator's start.
   */
  startMs?: number | undefined
}

/** One venue-agnostic market for an emulator's `market` option. */
export type MarketConfig = { kind: 'none' } | SimulatedMarketConfig | KlinesMarketConfig | ReplayMarketConfig

export type CreateMarketDriverParameters = {
  engine: MatchingEngine
  /** Engine symbol the market drives. */
  symbol: string
  config: MarketConfig
  /** The emulator's clock: a replay-time clock (`createReplayClock`, `createManualClock`) replays data at its own time. */
  clock: Clock
  /** How data sizes in the base coin become lots (Deribit inverse: USD contracts). Default base lots. */
  units?: MarketSizeUnits | undefined
  /** Replay only: keep the capture's update ids (Binance, whose streams re-emit them). */
  keepUpdateIds?: boolean | undefined
  /** Name of the option in error messages. Default "market". */
  field?: string | undefined
}

export type CreateMarketDriverErrorType = InvalidEmulatorConfigError

/** The driver of one `market` config (null for `none`). */
export function createMarketDriver(parameters: CreateMarketDriverParameters): MarketDriver | null {
  const { engine, symbol, config, clock } = parameters
  const field = parameters.field ?? 'market'
  const nowMs = clock.nowMs()
  switch (config.kind) {
    case 'none':
      return null
    case 'simulated': {
      const inst = engine.instrument(symbol)
      return new SimulatedMarket({
        engine,
        symbol,
        seed: config.seed ?? 1,
        startMidTicks: parseScaled(config.midPrice, inst.priceDecimals, `${field}.midPrice`) / inst.tickUnits,
        startMs: nowMs,
        stepMs: config.stepMs,
        maxStepTicks: config.maxStepTicks,
        levels: config.levels,
        halfSpreadTicks: config.halfSpreadTicks,
        tradeProbability: config.tradeProbability,
        maxTradeLots: config.maxTradeLots,
      })
    }
    case 'klines':
      return new KlinesMarket({
        engine,
        symbol,
        file: config.file,
        seed: config.seed ?? 1,
        timeline: timelineOf(clock, config, nowMs, field),
        units: parameters.units,
        stepMs: config.stepMs,
        levels: config.levels,
        halfSpreadTicks: config.halfSpreadTicks,
        maxLevelLots: config.maxLevelLots,
      })
    case 'replay':
      return new ReplayMarket({
        engine,
        symbol,
        file: config.file,
        timeline: timelineOf(clock, config, nowMs, field),
        units: parameters.units,
        keepUpdateIds: parameters.keepUpdateIds,
      })
    default:
      throw new InvalidEmulatorConfigError({
        field: `${field}.kind`,
        reason: `${String((config as { kind: unknown }).kind)} is not none, simulated, klines or replay`,
      })
  }
}

function timelineOf(
  clock: Clock,
  { speed, startMs }: { speed?: number | undefined; startMs?: number | undefined },
  nowMs: number,
  field: string,
): MarketTimeline {
  if (startMs !== undefined && !Number.isFinite(startMs))
    throw new InvalidEmulatorConfigError({ field: `${field}.startMs`, reason: 'must be finite' })
  if (isReplayTimeClock(clock)) {
    if (speed !== undefined)
      throw new InvalidEmulatorConfigError({
        field: `${field}.speed`,
        reason: 'on a replay clock the data plays at the clock’s time; set the speed on the clock',
      })
    return { kind: 'data', startMs }
  }
  const s = speed ?? 1
  if (!Number.isFinite(s) || s <= 0)
    throw new InvalidEmulatorConfigError({ field: `${field}.speed`, reason: 'must be > 0' })
  return { kind: 'wall', startMs: startMs ?? nowMs, speed: s }
}

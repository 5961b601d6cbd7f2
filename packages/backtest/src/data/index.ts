export {
  type FieldContext,
  parseBigIntField,
  parseDecimalField,
  parseEpochMsField,
  parsePositiveBigIntField,
  parsePositiveDecimalField,
  parseSafeIntegerField,
  parseTickField,
  parseUtcDateTimeField,
} from './parseFields.js'
export { poolBarsFromEvents } from './poolBarsFromEvents.js'
export {
  type L2CaptureEvent,
  type ReadBinanceL2CaptureParameters,
  readBinanceL2Capture,
} from './readBinanceL2Capture.js'
export { type CsvRow, type CsvSource, type OpenCsvOptions, openCsv } from './readCsvRows.js'
export { readGasPrices } from './readGasPrices.js'
export { readKlineBatches, readKlines } from './readKlines.js'
export { readPoolBars } from './readPoolBars.js'
export { readPoolLogEventBatches, readPoolLogEvents } from './readPoolLogEvents.js'
export type { GasPriceEvent, KlineEvent, MarketEvent, PoolBarEvent, PoolLogEvent } from './types.js'

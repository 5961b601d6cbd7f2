export {
  EngineHistory,
  type EngineHistoryOptions,
  type HistoryCandle,
  type RecordedFill,
  type RecordedTrade,
} from '../internal/EngineHistory.js'
export {
  type GrvtAccountConfig,
  GrvtConnection,
  GrvtEmulator,
  type GrvtEmulatorOptions,
  type GrvtInstrumentConfig,
  type GrvtSession,
  type GrvtTransport,
} from './GrvtEmulator.js'
export {
  GRVT_LITE_ENDPOINTS,
  GRVT_LITE_STREAMS,
  GRVT_LITE_STRUCTS,
  type GrvtLiteStruct,
} from './grvtLiteSchema.js'
export { GRVT_TYPED_DATA, type GrvtTypedDataName } from './grvtTypedData.js'
export { type GrvtWsFraming, grvtWsFraming } from './grvtWsFraming.js'
export { type GrvtSignedOrderMessage, recoverGrvtOrderSigner } from './recoverGrvtOrderSigner.js'
export { recoverGrvtTypedDataSigner } from './recoverGrvtTypedDataSigner.js'
export { type RunningGrvtEmulator, type StartGrvtEmulatorOptions, startGrvtEmulator } from './startGrvtEmulator.js'
export { grvtFullToLite, grvtLiteToFull } from './translateGrvtLite.js'

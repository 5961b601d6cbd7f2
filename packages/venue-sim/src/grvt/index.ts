export {
  type GrvtAccountConfig,
  GrvtConnection,
  GrvtEmulator,
  type GrvtEmulatorOptions,
  type GrvtInstrumentConfig,
  type GrvtTransport,
} from './GrvtEmulator.js'
export { type GrvtSignedOrderMessage, recoverGrvtOrderSigner } from './recoverGrvtOrderSigner.js'
export { type RunningGrvtEmulator, type StartGrvtEmulatorOptions, startGrvtEmulator } from './startGrvtEmulator.js'

export { createBinanceConnectorFromConfig } from './createBinanceConnectorFromConfig.js'
export {
  type CreateDeploymentOptions,
  createDeployment,
  type Deployment,
  type OpenVenueConnector,
} from './createDeployment.js'
export { createDeribitConnectorFromConfig } from './createDeribitConnectorFromConfig.js'
export {
  type CreateGrvtConnectorFromConfigErrorType,
  createGrvtConnectorFromConfig,
} from './createGrvtConnectorFromConfig.js'
export {
  type CreateLpManagerFromConfigErrorType,
  type CreateLpManagerFromConfigOptions,
  createLpManagerFromConfig,
  type LpManagerFromConfig,
} from './createLpManagerFromConfig.js'
export { venueIdOf } from './venueIdOf.js'

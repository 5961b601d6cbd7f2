export { createBinanceConnectorFromConfig } from './createBinanceConnectorFromConfig.js'
export {
  type CreateDeploymentOptions,
  createDeployment,
  type Deployment,
  type OpenVenueConnector,
} from './createDeployment.js'
export { createDeribitConnectorFromConfig } from './createDeribitConnectorFromConfig.js'
export { venueIdOf } from './venueIdOf.js'

export { type FromSeedConfigReturnType, fromSeedConfig, type SeedLpConfig } from './fromSeedConfig.js'

export {
  type ControlFile,
  type ControlPaths,
  controlPathsOf,
  newControlToken,
  readControlFile,
  readControlToken,
  writeControlFiles,
} from './controlFiles.js'
export {
  type ControlledDeployment,
  type CreateDeploymentControlParameters,
  createDeploymentControl,
  type DeploymentControl,
} from './createDeploymentControl.js'
export { createRecentErrors, type RecentError, type RecentErrors } from './createRecentErrors.js'
export {
  type BuildDeploymentStatusParameters,
  buildDeploymentStatus,
  DEPLOYMENT_STATUS_VERSION,
  type DeploymentStatus,
  type LpStatus,
  type OrderStatus,
  type PnlParts,
  type VenueStatus,
} from './deploymentStatus.js'
export {
  type ControlHandlers,
  type ControlRequest,
  type ControlResult,
  type RunningControlServer,
  type StartControlServerParameters,
  startControlServer,
} from './startControlServer.js'

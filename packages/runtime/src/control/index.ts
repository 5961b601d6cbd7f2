// The dashboard the control server hosts (src/index.ts re-exports this file).
export {
  buildDashboardSample,
  type CreateDashboardParameters,
  createDashboard,
  createJournalReader,
  type Dashboard,
  type DashboardJournal,
  type DashboardRoutes,
  type DashboardSample,
  type DashboardUpdate,
  type JournalReader,
  type PoolDecimals,
  renderDashboardHtml,
  tickToBasePrice,
  type VenueGrid,
} from '../dashboard/index.js'
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
  isLoopbackHost,
  type RunningControlServer,
  type StartControlServerParameters,
  startControlServer,
} from './startControlServer.js'

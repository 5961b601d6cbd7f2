export {
  buildDashboardSample,
  type DashboardSample,
  type PoolDecimals,
  tickToBasePrice,
} from './buildDashboardSample.js'
export {
  type CreateDashboardParameters,
  createDashboard,
  type Dashboard,
  type DashboardRoutes,
  type DashboardUpdate,
} from './createDashboard.js'
export {
  createJournalReader,
  type DashboardJournal,
  type JournalReader,
  type VenueGrid,
} from './createJournalReader.js'
export { renderDashboardHtml } from './renderDashboardHtml.js'

export {
  type Alert,
  type AlertKind,
  type AlertOutcome,
  type AlertSeverity,
  type CreateWebhookAlerterOptions,
  createWebhookAlerter,
  type WebhookAlerter,
  type WebhookFormat,
} from './createWebhookAlerter.js'
export {
  type DeploymentAlertWatch,
  type WatchDeploymentAlertsParameters,
  watchDeploymentAlerts,
} from './watchDeploymentAlerts.js'

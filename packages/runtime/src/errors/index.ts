export { RuntimeError, type RuntimeErrorParameters, type RuntimeErrorType } from './base.js'
export {
  ConfigInvalidError,
  type ConfigInvalidErrorType,
  type ConfigIssue,
  formatConfigIssue,
  KeystoreError,
  type KeystoreErrorType,
} from './config.js'
export { JournalError, type JournalErrorType } from './journal.js'
export { AlreadyRunningError, type AlreadyRunningErrorType } from './process.js'

export { type AcquirePidFileErrorType, acquirePidFile, type PidFile } from './acquirePidFile.js'

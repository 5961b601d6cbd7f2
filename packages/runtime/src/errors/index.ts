export { RuntimeError, type RuntimeErrorParameters, type RuntimeErrorType } from './base.js'

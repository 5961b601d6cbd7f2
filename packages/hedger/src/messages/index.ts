export {
  type DecodeHedgerMessageErrorType,
  decodeHedgerMessage,
  encodeHedgerMessage,
  type HedgerMessage,
} from './codec.js'
export type * from './commands.js'
export type * from './events.js'

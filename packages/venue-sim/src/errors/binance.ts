import { VenueSimError } from './base.js'

export type BinanceRejectionErrorType = BinanceRejectionError & { name: 'BinanceRejectionError' }

/**
 * A request the Binance emulator answers with an error body `{code, msg}` (Binance's own code and message) and an HTTP status.
 * Thrown inside request handlers and turned into the response by the router; never escapes the emulator.
 */
export class BinanceRejectionError extends VenueSimError {
  override name = 'BinanceRejectionError' as const
  readonly httpStatus: number
  readonly binanceCode: number
  readonly binanceMsg: string
  readonly headers: Record<string, string>
  /** Extra `data` member of the error body (cancelReplace reports both halves there). */
  readonly data: unknown

  constructor({
    httpStatus,
    binanceCode,
    binanceMsg,
    headers,
    data,
  }: {
    httpStatus: number
    binanceCode: number
    binanceMsg: string
    headers?: Record<string, string> | undefined
    data?: unknown
  }) {
    super(`Binance emulator rejected the request with ${binanceCode}: ${binanceMsg}`, {
      code: 'BINANCE_REJECTION',
      metaMessages: ['Next: fix the request as the Binance error code says; this mirrors the real venue.'],
    })
    this.httpStatus = httpStatus
    this.binanceCode = binanceCode
    this.binanceMsg = binanceMsg
    this.headers = headers ?? {}
    this.data = data
  }
}

export type InvalidEmulatorConfigErrorType = InvalidEmulatorConfigError & { name: 'InvalidEmulatorConfigError' }

/** The emulator was started with an unusable option (unknown symbol, bad replay file, missing secret…). */
export class InvalidEmulatorConfigError extends VenueSimError {
  override name = 'InvalidEmulatorConfigError' as const
  readonly field: string

  constructor({ field, reason, cause }: { field: string; reason: string; cause?: unknown }) {
    super(`Invalid emulator option ${field}: ${reason}.`, {
      code: 'INVALID_EMULATOR_CONFIG',
      metaMessages: [`Next: fix ${field} and start the emulator again.`],
      cause,
    })
    this.field = field
  }
}

export type ReplayFormatErrorType = ReplayFormatError & { name: 'ReplayFormatError' }

/** A line of a replay capture cannot be parsed. */
export class ReplayFormatError extends VenueSimError {
  override name = 'ReplayFormatError' as const
  readonly file: string
  readonly line: number

  constructor({ file, line, reason, cause }: { file: string; line: number; reason: string; cause?: unknown }) {
    super(`Replay file ${file} line ${line}: ${reason}.`, {
      code: 'REPLAY_FORMAT',
      metaMessages: [
        'Next: pass a capture in the "<recv_ts_ns> <combined-stream json>" format (see https://github.com/alp-sdk/alp/blob/main/docs/venue-sim.md).',
      ],
      cause,
    })
    this.file = file
    this.line = line
  }
}

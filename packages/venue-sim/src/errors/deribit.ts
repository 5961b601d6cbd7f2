import { VenueSimError } from './base.js'

export type DeribitRejectionErrorType = DeribitRejectionError & { name: 'DeribitRejectionError' }

/**
 * A request the Deribit emulator answers with a JSON-RPC `error {code, message}` (Deribit's own code and name).
 * Thrown inside method handlers and turned into the response by the dispatcher; never escapes the emulator.
 */
export class DeribitRejectionError extends VenueSimError {
  override name = 'DeribitRejectionError' as const
  readonly deribitCode: number
  readonly deribitMessage: string
  readonly data: unknown
  /** Deribit terminates the session after this error (10028). */
  readonly terminatesSession: boolean

  constructor({ code, message, data }: { code: number; message: string; data?: unknown }) {
    super(`Deribit emulator rejected the request with ${code}: ${message}`, {
      code: 'DERIBIT_REJECTION',
      metaMessages: ['Next: fix the request as the Deribit error code says; this mirrors the real venue.'],
    })
    this.deribitCode = code
    this.deribitMessage = message
    this.data = data
    this.terminatesSession = code === 10028
  }
}

/** Deribit error codes the emulator uses (names as Deribit spells them). */
export const DERIBIT_ERROR_CODES = {
  order_not_found: 10004,
  not_enough_funds: 10009,
  too_many_requests: 10028,
  invalid_arguments: 11029,
  not_open_order: 11044,
  bad_request: 11050,
  post_only_reject: 11054,
  invalid_credentials: 13004,
  unauthorized: 13009,
  value_required: 13010,
  method_not_found: -32601,
  invalid_params: -32602,
  parse_error: -32700,
} as const

export type DeribitErrorName = keyof typeof DERIBIT_ERROR_CODES

/** Builds the rejection for a named Deribit error. */
export function deribitReject(name: DeribitErrorName, data?: unknown): DeribitRejectionError {
  return new DeribitRejectionError({ code: DERIBIT_ERROR_CODES[name], message: name, data })
}

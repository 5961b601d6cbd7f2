import { VenueSimError } from './base.js'

export type GrvtRejectionErrorType = GrvtRejectionError & { name: 'GrvtRejectionError' }

/** A request the GRVT emulator answers with GRVT's error body `{code, message, status}`; never escapes the emulator. */
export class GrvtRejectionError extends VenueSimError {
  override name = 'GrvtRejectionError' as const
  readonly grvtCode: number
  readonly grvtMessage: string
  readonly httpStatus: number

  constructor({ code, message, httpStatus }: { code: number; message: string; httpStatus: number }) {
    super(`GRVT emulator rejected the request with ${code}: ${message}`, {
      code: 'GRVT_REJECTION',
      metaMessages: ['Next: fix the request as the GRVT error code says; this mirrors the real venue.'],
    })
    this.grvtCode = code
    this.grvtMessage = message
    this.httpStatus = httpStatus
  }
}

/** Builds a GRVT rejection (codes from the GRVT API error table: 1000 auth, 2000–2066 order/signature rules). */
export function grvtReject(code: number, message: string, httpStatus: number): GrvtRejectionError {
  return new GrvtRejectionError({ code, message, httpStatus })
}

import { HedgerError } from './base.js'

export type InvalidMessageErrorType = InvalidMessageError & { name: 'InvalidMessageError' }

/** A serialised message that cannot be decoded: names the bad field and value. */
export class InvalidMessageError extends HedgerError {
  override name = 'InvalidMessageError'
  constructor({ field, value, rule }: { field: string; value: unknown; rule: string }) {
    super(`Invalid hedger message: ${field} = ${JSON.stringify(value)} must be ${rule}.`, {
      code: 'INVALID_MESSAGE',
      metaMessages: ['Next: produce messages with encodeHedgerMessage (tsNs as a decimal integer string).'],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/hedger.md#message-catalogue',
    })
  }
}

import { ConnectorError } from './base.js'

export type MalformedFrameErrorType = MalformedFrameError & { name: 'MalformedFrameError' }

/** A frame or response body could not be parsed or failed schema validation; the frame is dropped, the process goes on. */
export class MalformedFrameError extends ConnectorError {
  override name = 'MalformedFrameError' as const
  readonly field: string
  constructor({ venue, field, reason, cause }: { venue: string; field: string; reason: string; cause?: unknown }) {
    super(`Malformed ${venue} payload: field ${field} ${reason}.`, {
      code: 'MALFORMED_FRAME',
      venue,
      retryable: false,
      cause,
      metaMessages: [
        'Next: the frame was dropped; if it was a depth update the book resyncs on the next sequence check.',
      ],
    })
    this.field = field
  }
}

export type ConnectionClosedErrorType = ConnectionClosedError & { name: 'ConnectionClosedError' }

/** A WebSocket request could not complete because the socket closed (or was never open). */
export class ConnectionClosedError extends ConnectorError {
  override name = 'ConnectionClosedError' as const
  constructor({ venue, url, reason }: { venue: string; url: string; reason: string }) {
    super(`${venue} socket ${url} is closed: ${reason}.`, {
      code: 'CONNECTION_CLOSED',
      venue,
      retryable: true,
      metaMessages: ['Next: wait for the "open" health event; subscriptions are restored automatically.'],
    })
  }
}

export type RequestTimeoutErrorType = RequestTimeoutError & { name: 'RequestTimeoutError' }

/** A request got no answer within `timeoutMs`. */
export class RequestTimeoutError extends ConnectorError {
  override name = 'RequestTimeoutError' as const
  readonly timeoutMs: number
  constructor({ venue, endpoint, timeoutMs }: { venue: string; endpoint: string; timeoutMs: number }) {
    super(`${venue} ${endpoint} timed out after ${timeoutMs} ms.`, {
      code: 'REQUEST_TIMEOUT',
      venue,
      retryable: false,
      metaMessages: ['Next: the request may have been processed; reconcile before repeating a write.'],
    })
    this.timeoutMs = timeoutMs
  }
}

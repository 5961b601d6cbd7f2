import { RuntimeError } from '../errors/base.js'

const DOCS = 'https://github.com/alp-sdk/alp/blob/main/docs/deployment-transport.md'

export type InvalidEndpointErrorType = InvalidEndpointError & { name: 'InvalidEndpointError' }

/** A link endpoint, port or offset that cannot be used. */
export class InvalidEndpointError extends RuntimeError {
  override name = 'InvalidEndpointError'
  constructor({ link, value, rule }: { link: string; value: unknown; rule: string }) {
    super(`Invalid transport endpoint: ${link} = ${JSON.stringify(value)} must be ${rule}.`, {
      code: 'INVALID_ENDPOINT',
      metaMessages: ['Next: fix the endpoint in [PUBLISHERS]/[SUBSCRIBERS] or the port offset.'],
      docsPath: `${DOCS}#port-map`,
    })
  }
}

export type CommandNotAcknowledgedErrorType = CommandNotAcknowledgedError & { name: 'CommandNotAcknowledgedError' }

/**
 * A command got no acknowledgement after every retry. Its fate is unknown (it may have executed): never retry it under a
 * new id; look the order up by client order id instead.
 */
export class CommandNotAcknowledgedError extends RuntimeError {
  override name = 'CommandNotAcknowledgedError'
  readonly commandId: string
  readonly attempts: number
  readonly retryable = false
  constructor({ service, commandId, attempts }: { service: string; commandId: string; attempts: number }) {
    super(`Command ${commandId} on ${service} was not acknowledged after ${attempts} attempts.`, {
      code: 'COMMAND_NOT_ACKNOWLEDGED',
      metaMessages: [
        'The command may or may not have executed.',
        'Next: look the order up by its client order id (lookupOrder) before sending anything new for it.',
      ],
      docsPath: `${DOCS}#commands`,
    })
    this.commandId = commandId
    this.attempts = attempts
  }
}

export type TransportClosedErrorType = TransportClosedError & { name: 'TransportClosedError' }

/** The bus (or the socket) was closed while something waited on it. */
export class TransportClosedError extends RuntimeError {
  override name = 'TransportClosedError'
  constructor({ what }: { what: string }) {
    super(`The transport was closed: ${what}.`, {
      code: 'TRANSPORT_CLOSED',
      metaMessages: ['Next: nothing to do when shutting down; otherwise create the bus again.'],
      docsPath: DOCS,
    })
  }
}

export type DuplicateBindingErrorType = DuplicateBindingError & { name: 'DuplicateBindingError' }

/** Two publishers (or two command servers) on one endpoint and topic. */
export class DuplicateBindingError extends RuntimeError {
  override name = 'DuplicateBindingError'
  constructor({ endpoint, what }: { endpoint: string; what: string }) {
    super(`${what} is already bound at ${endpoint}.`, {
      code: 'DUPLICATE_BINDING',
      metaMessages: ['Next: each link has one binding role; give the second deployment a port offset.'],
      docsPath: `${DOCS}#port-map`,
    })
  }
}

import { Writable } from 'node:stream'
import pino, { type DestinationStream, type Logger } from 'pino'
import type { LogLevel } from '../config/keys.js'
import type { Secret } from '../config/Secret.js'
import type { WalletKeyRef } from '../config/WalletKeyRef.js'

/** Object paths pino censors in every log line, whatever the value (two levels deep, and request headers). */
export const REDACT_PATHS: readonly string[] = [
  'apiKey',
  'apiSecret',
  'secret',
  'password',
  'privateKey',
  'signature',
  'walletKey',
  '*.apiKey',
  '*.apiSecret',
  '*.secret',
  '*.password',
  '*.privateKey',
  '*.signature',
  '*.walletKey',
  'headers.authorization',
  'headers["x-mbx-apikey"]',
  '*.headers.authorization',
  '*.headers["x-mbx-apikey"]',
]

export const REDACTED = '[redacted]'

export type CreateLoggerParameters = {
  /** Process name: the `name` field of every line. */
  readonly name: string
  readonly level?: LogLevel | undefined
  /**
   * The resolved secrets of the config (`DeploymentConfig.secrets`): any of their values found anywhere in a line (a
   * message, an error's stack, a field under an unexpected name) is replaced by `[redacted]` before the line is written.
   */
  readonly secrets?: readonly (Secret | WalletKeyRef)[] | undefined
  /** Where lines go. Default stdout. */
  readonly destination?: DestinationStream | undefined
  /**
   * Also append every line (NDJSON, scrubbed the same way) to this file, created with its folder when missing:
   * `<DATA_DIR>/<PROCESS_NAME>.log`, what `alp logs` reads. Written synchronously, so a crash keeps every line.
   */
  readonly file?: string | undefined
}

/**
 * The runtime's structured logger: pino (JSON lines), with two layers against leaks — pino's `redact` of the secret
 * field names ({@link REDACT_PATHS}), and a scrub of every resolved secret value from each serialized line.
 */
export function createLogger(parameters: CreateLoggerParameters): Logger {
  const values = collectSecretValues(parameters.secrets ?? [])
  const level = parameters.level ?? 'info'
  const scrubbed = (destination: DestinationStream): DestinationStream =>
    values.length === 0 ? destination : createScrubbingStream(destination, values)
  const out = scrubbed(parameters.destination ?? pino.destination({ dest: 1, sync: false }))
  // Each destination gets its own scrub: pino's multistream filters by the level pino hands it, which a stream in
  // front of it would hide.
  const stream =
    parameters.file === undefined
      ? out
      : pino.multistream([
          { level, stream: out },
          {
            level,
            stream: scrubbed(pino.destination({ dest: parameters.file, mkdir: true, append: true, sync: true })),
          },
        ])
  return pino(
    {
      name: parameters.name,
      level,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    stream,
  )
}

function collectSecretValues(secrets: readonly (Secret | WalletKeyRef)[]): string[] {
  const values = new Set<string>()
  for (const secret of secrets) {
    const value = 'reveal' in secret ? secret.reveal() : secret.revealIfEnv()
    if (value === null || value.length < 4) continue
    values.add(value)
    // The same value as JSON would write it (escaped), and a 0x key without its prefix.
    values.add(JSON.stringify(value).slice(1, -1))
    if (/^0x[0-9a-fA-F]{64}$/.test(value)) values.add(value.slice(2))
  }
  // Longest first, so a value containing another is replaced whole.
  return [...values].sort((a, b) => b.length - a.length)
}

/** A stream in front of `destination` that replaces every occurrence of `values` in each chunk by `[redacted]`. */
function createScrubbingStream(destination: DestinationStream, values: readonly string[]): DestinationStream {
  const scrub = (text: string) => {
    let out = text
    for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED)
    return out
  }
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      destination.write(scrub(typeof chunk === 'string' ? chunk : chunk.toString('utf8')))
      callback()
    },
  })
  return stream as unknown as DestinationStream
}

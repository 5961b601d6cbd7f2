import { CommanderError } from 'commander'
import { KeystoreError } from '../errors/config.js'
import { type CliIo, createProgram } from './createProgram.js'
import { EXIT, type ExitCode } from './exitCodes.js'

/**
 * The `alp` command line (bin/alp.mjs): runs one command and returns its exit code (see EXIT; never calls
 * process.exit itself). `argv` as in process.argv (node, script, args…).
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<ExitCode> {
  const full: CliIo = {
    stdout: io.stdout ?? ((text) => process.stdout.write(text)),
    stderr: io.stderr ?? ((text) => process.stderr.write(text)),
    env: io.env ?? process.env,
    now: io.now,
    waitForStop: io.waitForStop,
    readStdin:
      io.readStdin ??
      (async () => {
        const chunks: Buffer[] = []
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
        return Buffer.concat(chunks).toString('utf8')
      }),
  }
  const { program, result } = createProgram(full)
  try {
    await program.parseAsync([...argv])
    return result.code
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0.
      if (error.exitCode === 0) return EXIT.OK
      return EXIT.USAGE
    }
    if (error instanceof KeystoreError) {
      full.stderr(`alp: ${error.shortMessage}\n`)
      return EXIT.CONFIG_INVALID
    }
    full.stderr(`alp: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.FAILURE
  }
}

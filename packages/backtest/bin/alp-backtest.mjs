#!/usr/bin/env node
import { exitCodeFor, runCli } from '../dist/cli/runCli.js'

// Exit codes: 0 ok, 1 the run failed, 2 bad command line, 3 invalid config (docs/backtest.md#cli).
runCli(process.argv).catch((error) => {
  const code = exitCodeFor(error)
  // Commander has already printed its own usage errors.
  if (error?.name !== 'CommanderError')
    process.stderr.write(`alp-backtest: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = code
})

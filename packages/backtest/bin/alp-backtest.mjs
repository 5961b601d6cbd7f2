#!/usr/bin/env node
import { runCli } from '../dist/cli/runCli.js'

runCli(process.argv).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})

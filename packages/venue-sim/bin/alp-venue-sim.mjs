#!/usr/bin/env node
import { main } from '../dist/cli.js'

// Exit codes: 0 ok, 1 an emulator could not start or a fault request failed, 2 bad command line or input file.
process.exitCode = await main(process.argv.slice(2))

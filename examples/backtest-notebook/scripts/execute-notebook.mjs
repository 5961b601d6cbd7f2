#!/usr/bin/env node
// Re-executes backtest.ipynb in place under the Deno Jupyter kernel, so the committed file carries the current outputs
// (the summary and both SVG plots, which GitHub renders). Needs the built @alp/backtest; see README.md.
import { statSync } from 'node:fs'
import { executeNotebook, notebookPath } from './jupyter.mjs'

try {
  const { path } = executeNotebook({ input: notebookPath })
  console.log(`executed ${path} (${(statSync(path).size / 1024).toFixed(0)} KiB)`)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}

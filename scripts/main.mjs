#!/usr/bin/env node
// The README's main job. Today: the Avellaneda–Stoikov (2008) reproduction, printed beside the paper's Tables 1–3.
// Later issues point this at the two-venue backtest. Runs after `turbo run build` (see the root package.json).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const entry = join(root, 'examples', 'as2008-reproduction', 'dist', 'main.js')
if (!existsSync(entry)) {
  console.error(`main job not built: ${entry} is missing.\nNext: run \`npm start\` (it installs and builds first).`)
  process.exit(2)
}
const run = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root })
process.exit(run.status ?? 1)

#!/usr/bin/env node
// The README's main job: the full two-venue strategy (Uniswap v3 LP with AS/GLFT ranges + passive Binance hedge)
// backtested on the real data of 2024-01-05. Writes examples/two-venue-backtest/out/backtest_results.json and
// out/report.html. Runs after `turbo run build` (see the root package.json). The AS 2008 reproduction is
// `pnpm --filter @alp/example-as2008 start`.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const example = join(root, 'examples', 'two-venue-backtest')
const cli = join(root, 'packages', 'backtest', 'bin', 'alp-backtest.mjs')
const built = join(root, 'packages', 'backtest', 'dist', 'cli', 'runCli.js')
if (!existsSync(built)) {
  console.error(`main job not built: ${built} is missing.\nNext: run \`npm start\` (it installs and builds first).`)
  process.exit(2)
}
const args = ['run', '--config', 'config.json', '--out', 'out', ...process.argv.slice(2)]
const run = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: example })
if (run.status === 0) {
  console.log(`\nreport:  ${join(example, 'out', 'report.html')}`)
  console.log(`results: ${join(example, 'out', 'backtest_results.json')}`)
}
process.exit(run.status ?? 1)

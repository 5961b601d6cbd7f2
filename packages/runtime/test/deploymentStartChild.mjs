// The `alp start` process of test/deploymentStart.test.ts: runStart from the built package, with its own signal
// handling (SIGINT/SIGTERM), pid file, logger and /metrics; the lp-manager role publishes the inventory update given
// as argv[3] (read on the test's anvil pool) when the role starts it.
import { EventEmitter } from 'node:events'
import { runStart } from '../dist/index.js'

const [file, inventoryJson] = process.argv.slice(2)
const source = new EventEmitter()
const lpManager = () => ({
  on: (event, listener) => source.on(event, listener),
  off: (event, listener) => source.off(event, listener),
  run: () => {
    source.emit('inventory', JSON.parse(inventoryJson))
  },
})
const code = await runStart(
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => '',
  },
  { files: [file], stopTimeoutMs: 10_000, deployment: { lpManager, timerIntervalMs: 50 } },
)
process.exitCode = code

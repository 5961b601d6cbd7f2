// One `alp start --roles …` process of the split tests (test/split*.test.ts, test/killRoles.test.ts, test/reconcile*):
// runStart of the package's source (bundled by esbuild, like transportPeerProcess.ts), its own SIGINT/SIGTERM handling,
// pid files, logger; the lp-manager role (when selected) publishes the inventory update given in ALP_INVENTORY.
// argv: <config file> <roles>. Env: ALP_INVENTORY (JSON InventoryUpdate), ALP_RECONCILE_TIMEOUT_MS, ALP_SKIP_RECONCILIATION.
import { EventEmitter } from 'node:events'
import type { InventoryUpdate } from '@alp/uniswap-lp'
import { runStart } from '../src/cli/runStart.js'

const [file, roles] = process.argv.slice(2) as [string, string]
const source = new EventEmitter()
const inventory = process.env.ALP_INVENTORY
const lpManager = () => ({
  on: (event: 'inventory', listener: (update: InventoryUpdate) => void) => source.on(event, listener),
  off: (event: 'inventory', listener: (update: InventoryUpdate) => void) => source.off(event, listener),
  run: () => {
    if (inventory !== undefined) source.emit('inventory', JSON.parse(inventory))
  },
})
const code = await runStart(
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => '',
  },
  {
    files: [file],
    roles: roles.split(','),
    stopTimeoutMs: 10_000,
    reconcileTimeoutMs: Number(process.env.ALP_RECONCILE_TIMEOUT_MS ?? 30_000),
    ...(process.env.ALP_SKIP_RECONCILIATION === '1' ? { skipReconciliation: true } : {}),
    deployment: { lpManager, timerIntervalMs: 50, positionPollMs: 300 },
  },
)
process.exitCode = code

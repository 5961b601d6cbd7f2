import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { MAKER } from '../../test/src/emulator.js'

/** Binance emulator running in a child process (loopback), with the test accounts and a simulated ETHUSDT market. */
export type EmulatorProcess = { restUrl: string; wsUrl: string; close(): Promise<void> }

const SCRIPT = `
import { startBinanceEmulator } from '@alp/venue-sim/binance'
const emu = await startBinanceEmulator({
  port: 0,
  symbols: ['ETHUSDT'],
  accounts: [{ apiKey: ${JSON.stringify(MAKER.apiKey)}, apiSecret: ${JSON.stringify(MAKER.apiSecret)}, balances: { USDT: '10000' } }],
  market: { kind: 'simulated', midPrice: '2681.62', seed: 9, stepMs: 5, levels: 20, tradeProbability: 0 },
  pingIntervalMs: 0,
})
console.log(JSON.stringify({ restUrl: emu.restUrl, wsUrl: emu.wsUrl }))
process.stdin.on('end', async () => { await emu.close(); process.exit(0) })
process.stdin.resume()
`

export function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { restUrl, wsUrl } = JSON.parse(line) as { restUrl: string; wsUrl: string }
      resolve({
        restUrl,
        wsUrl,
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit')
            child.once('exit', () => done())
            child.stdin!.end()
          }),
      })
    })
  })
}

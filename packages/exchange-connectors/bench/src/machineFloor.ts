import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'

export type FloorSample = { p50Us: number; p99Us: number }

const SINK = `
const server = require('node:net').createServer((c) => c.on('data', () => {})).listen(0, '127.0.0.1', () => console.log(server.address().port))
process.stdin.on('end', () => process.exit(0)); process.stdin.resume()`

function percentiles(samplesUs: number[]): FloorSample {
  const sorted = [...samplesUs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50Us: at(0.5), p99Us: at(0.99) }
}

/**
 * What this machine charges for the two unavoidable steps of any tick-to-order path when they run the way a quoting
 * process runs them: once per market event, after the process slept (here every 5 ms), not in a hot loop.
 * - `hmacUs`: one HMAC-SHA256 of a 200-byte order payload (the signature every Binance order needs);
 * - `writeUs`: one 300-byte write on a no-Nagle loopback TCP socket to another process (the order going out).
 * Each is also measured back-to-back (hot) for contrast. On a VM whose vCPU is descheduled while idle, the cold numbers
 * are many times the hot ones; they bound from below what any in-process tick-to-order figure can be.
 */
export async function measureMachineFloor(samples = 1000): Promise<{
  hmacColdUs: FloorSample
  hmacHotUs: FloorSample
  writeColdUs: FloorSample
  writeHotUs: FloorSample
}> {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['pipe', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line)))
  })
  const socket = connect({ port, host: '127.0.0.1', noDelay: true })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const payload = `symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.010&price=2681.11&newClientOrderId=lat-1&newOrderRespType=RESULT&recvWindow=5000&timestamp=1723161256311`
  const frame = Buffer.alloc(300, 97)
  const hmac = () => createHmac('sha256', 'secret').update(payload).digest('hex')
  const timed = (f: () => unknown) => {
    const t0 = process.hrtime.bigint()
    f()
    return Number(process.hrtime.bigint() - t0) / 1000
  }
  for (let i = 0; i < 2000; i++) hmac()
  const hmacHot: number[] = []
  const writeHot: number[] = []
  for (let i = 0; i < samples; i++) hmacHot.push(timed(hmac))
  for (let i = 0; i < samples; i++) writeHot.push(timed(() => socket.write(frame)))
  const hmacCold: number[] = []
  const writeCold: number[] = []
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      hmacCold.push(timed(hmac))
      writeCold.push(timed(() => socket.write(frame)))
      if (hmacCold.length >= samples) {
        clearInterval(timer)
        resolve()
      }
    }, 5)
  })
  socket.destroy()
  child.stdin!.end()
  return {
    hmacColdUs: percentiles(hmacCold),
    hmacHotUs: percentiles(hmacHot),
    writeColdUs: percentiles(writeCold),
    writeHotUs: percentiles(writeHot),
  }
}

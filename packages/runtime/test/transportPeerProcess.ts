/**
 * A peer role for the restart test (transportZmq.test.ts), run as a child process: a position server that binds the
 * `positions` topic and the `venueCommands` service on the endpoints in ALP_ENDPOINTS. Generation ALP_GENERATION
 * publishes 5 positions of `generation × 100 + i` lots, then acks every command with its generation.
 */
import { createZmqBus, type Endpoints } from '../src/index.js'

const endpoints = JSON.parse(process.env.ALP_ENDPOINTS ?? '{}') as Endpoints
const generation = Number(process.env.ALP_GENERATION ?? '1')
const bus = createZmqBus({ endpoints })
const positions = await bus.publisher('positions', { heartbeatMs: 50 })
await bus.commandServer('venueCommands', (command) => {
  positions.publish({ type: 'position', tsNs: command.tsNs, venue: 'commanded', sizeLots: generation })
  return { ok: true, detail: `generation ${generation}` }
})
for (let i = 0; i < 5; i++)
  positions.publish({
    type: 'position',
    tsNs: BigInt(generation) * 10n ** 18n + BigInt(i),
    venue: `v${i}`,
    sizeLots: generation * 100 + i,
  })
process.stdout.write('ready\n')
setInterval(() => {}, 1 << 30)

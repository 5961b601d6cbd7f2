// The floor of the tick-to-order benchmark: the same two cross-process hops as the ZeroMQ roles path (PUB/SUB from the
// quote-server's process to the trader's, then DEALER/ROUTER from the trader's to the engine's), in three processes,
// with raw zeromq sockets and nothing else: no envelope, codec, sequence check, hedger step or journal.
// argv: <mode: pub | relay | sink> <endpoint A→B> <endpoint B→C>. IPC: the parent sends { tick: n } to `pub`; `sink`
// answers { n, us } with the time from just before the PUB send to the ROUTER receive (process.hrtime.bigint(), one
// monotonic clock for every process of the host).
import * as zmq from 'zeromq'

const [mode, ab, bc] = process.argv.slice(2)
const payload = 'x'.repeat(160) // about a best bid/offer envelope

if (mode === 'pub') {
  const socket = new zmq.Publisher({ linger: 0, sendTimeout: 0 })
  await socket.bind(ab)
  process.on('message', (message) => {
    if (message === 'stop') process.exit(0)
    const t0 = process.hrtime.bigint()
    void socket.send(['md', `${message.tick} ${t0} ${payload}`])
  })
} else if (mode === 'relay') {
  const sub = new zmq.Subscriber({ linger: 0 })
  sub.connect(ab)
  sub.subscribe('md')
  const dealer = new zmq.Dealer({ linger: 0 })
  dealer.connect(bc)
  process.on('message', (message) => {
    if (message === 'stop') process.exit(0)
  })
  process.send?.('ready')
  for await (const [, body] of sub) await dealer.send(['cmd', body])
} else if (mode === 'sink') {
  const router = new zmq.Router({ linger: 0 })
  await router.bind(bc)
  process.on('message', (message) => {
    if (message === 'stop') process.exit(0)
  })
  process.send?.('ready')
  for await (const [, , body] of router) {
    const t1 = process.hrtime.bigint()
    const [n, t0] = body.toString().split(' ')
    process.send?.({ n: Number(n), us: Number(t1 - BigInt(t0)) / 1_000 })
  }
}
if (mode === 'pub') process.send?.('ready')

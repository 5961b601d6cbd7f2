import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startAnvil } from '../src/chain/startAnvil.js'

// anvil pages old states out to $HOME/.foundry/anvil/tmp and leaves them there when it is killed: 77 GB of them filled
// a CI disk. Each anvil gets a HOME of its own, removed when it exits (stopped or killed).
const homeOf = (pid: number): string =>
  (
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((v) => v.startsWith('HOME=')) ?? ''
  ).slice(5)

describe('startAnvil: a HOME of its own', () => {
  it('runs anvil with a temporary HOME and removes it when anvil stops, or when it is killed', async () => {
    const stopped = await startAnvil()
    const home = homeOf(stopped.pid)
    expect(home.startsWith(`${tmpdir()}/alp-anvil-home-`)).toBe(true)
    expect(existsSync(home)).toBe(true)
    await stopped.stop()
    expect(existsSync(home)).toBe(false)

    const killed = await startAnvil()
    const killedHome = homeOf(killed.pid)
    process.kill(killed.pid, 'SIGKILL')
    const deadline = Date.now() + 10_000
    while (existsSync(killedHome) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(existsSync(killedHome)).toBe(false)
    await killed.stop()
  })
})

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { getAddress } from 'ethers'
import { describe, expect, it } from 'vitest'
import { EXIT } from '../src/cli/exitCodes.js'
import { main } from '../src/cli/main.js'
import { parseIni } from '../src/config/parseIni.js'

// examples/mainnet-template/alp.ini: `alp config check` passes with its environment variables set and, with any one of
// them missing, fails naming the file, the section, the key and the variable. Its chain addresses are checked against
// sources in this repository (the mainnet pool's recorded logs and their provenance, the v3 SDK vectors of
// @alp/uniswap-lp, its Multicall3 constant), so none of them is typed from memory.
const root = fileURLToPath(new URL('../../../', import.meta.url))
const TEMPLATE = `${root}examples/mainnet-template/alp.ini`
const ENV = {
  BINANCE_API_KEY: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
  BINANCE_API_SECRET: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
  LP_WALLET_KEY: `0x${'11'.repeat(32)}`,
}

async function check(env: NodeJS.ProcessEnv, json = false) {
  let stdout = ''
  let stderr = ''
  const code = await main(['node', 'alp', 'config', 'check', ...(json ? ['--json'] : []), TEMPLATE], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    readStdin: async () => '',
  })
  return { code, stdout, stderr }
}

/** `KEY` of `[section]` in the template, with its line. */
function entry(section: string, key: string): { value: string; line: number } {
  const found = parseIni(readFileSync(TEMPLATE, 'utf8'))
    .sections.find((s) => s.name === section)
    ?.entries.find((e) => e.key === key)
  if (found === undefined) throw new Error(`[${section}] ${key} is not in the template`)
  return found
}

describe('examples/mainnet-template', () => {
  it('alp config check passes with the environment variables set: every role of the deployment', async () => {
    const result = await check(ENV, true)
    expect(result).toMatchObject({ code: EXIT.OK, stderr: '' })
    const roles = (JSON.parse(result.stdout) as { roles: { instance: string }[] }).roles.map((role) => role.instance)
    expect(roles.sort()).toEqual(
      ['binance.position-server', 'binance.quote-server', 'binance.trading-engine', 'lp-manager', 'trader'].sort(),
    )
  })

  it.each([
    ['BINANCE_API_KEY', 'binance.trading-engine', 'API_KEY'],
    ['BINANCE_API_SECRET', 'binance.trading-engine', 'API_SECRET'],
    ['LP_WALLET_KEY', 'lp-manager.LP', 'WALLET_KEY'],
  ])('without %s: exit 3 naming file, section, key and the variable', async (variable, section, key) => {
    const env: NodeJS.ProcessEnv = { ...ENV }
    delete env[variable]
    const result = await check(env)
    expect(result.code).toBe(EXIT.CONFIG_INVALID)
    const { line } = entry(section, key)
    expect(result.stderr).toContain(
      `${TEMPLATE}:${line} [${section}] ${key}: environment variable ${variable} is not set`,
    )
    // No value of another secret in the output.
    for (const value of Object.values(ENV)) expect(result.stderr).not.toContain(value)
  })

  it('its chain addresses come from the repository: the recorded mainnet pool, its logs and the SDK vectors', () => {
    const lp = (key: string) => entry('lp-manager.LP', key).value
    for (const key of [
      'POOL_ADDRESS',
      'POSITION_MANAGER_ADDRESS',
      'BASE_TOKEN',
      'SWAP_ROUTER_ADDRESS',
      'MULTICALL3_ADDRESS',
    ])
      expect(getAddress(lp(key))).toBe(lp(key)) // EIP-55 checksummed as written
    const day = `${root}data/uniswap-mainnet-2024-01-05/`
    // The pool: its recorded day (token0 USDC, token1 WETH, fee 500).
    expect(readFileSync(`${day}PROVENANCE.md`, 'utf8')).toContain(`${lp('POOL_ADDRESS').toLowerCase()} (fee 500`)
    const logs = readFileSync(`${day}ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.raw.csv`, 'utf8')
    const topicsOf = (signature: string) =>
      logs
        .split('\n')
        .filter((line) => line.includes(signature))
        .map((line) => line.slice(line.indexOf('"[')))
    const padded = (address: string) => `0x000000000000000000000000${address.slice(2).toLowerCase()}`
    // Mint(sender, owner indexed, ...): the position manager owns the positions minted through it.
    const mints = topicsOf('0x7a53080ba414158be7ec69b987b5fb7d07dee101fe85488f0853ae16239d0bde')
    expect(mints.filter((topics) => topics.includes(padded(lp('POSITION_MANAGER_ADDRESS')))).length).toBeGreaterThan(10)
    // Swap(sender indexed, recipient indexed, ...): SwapRouter is the sender of the router's swaps.
    const swaps = topicsOf('0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67')
    expect(swaps.filter((topics) => topics.includes(padded(lp('SWAP_ROUTER_ADDRESS')))).length).toBeGreaterThan(10)
    // WETH as @alp/uniswap-lp's mainnet vectors spell it; Multicall3 as its canonical-address constant.
    expect(readFileSync(`${root}packages/uniswap-lp/src/math/priceTick.test.ts`, 'utf8')).toContain(
      `WETH_ADDRESS = '${lp('BASE_TOKEN')}'`,
    )
    expect(readFileSync(`${root}packages/uniswap-lp/src/manager/batchReader.ts`, 'utf8')).toContain(
      `MULTICALL3_ADDRESS = '${lp('MULTICALL3_ADDRESS')}'`,
    )
    expect(entry('lp-manager.LP', 'CHAIN_ID').value).toBe('1')
    expect(entry('lp-manager.LP', 'FEE_TIER').value).toBe('0.0005')
  })
})

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseIni } from '../config/parseIni.js'
import { RuntimeError } from '../errors/base.js'
import { PAPER_STRATEGY_DEFAULTS, type PaperStrategy } from './paperStrategy.js'
import { type PaperVenueEndpoints, setPaperVenueKeys } from './paperVenues.js'

/** Where the paper run's venues and chain listen (known only once they started). */
export type PaperEndpoints = {
  readonly binance: { readonly restUrl: string; readonly wsUrl: string }
  readonly chain: {
    readonly rpcUrl: string
    readonly chainId: number
    readonly pool: string
    readonly positionManager: string
    /** The hedged pool token (the WETH stand-in). */
    readonly baseToken: string
    readonly swapRouter: string
    readonly quoterV2: string
  }
  /** The trader's DATA_DIR (journal). */
  readonly dataDir: string
  /** The Deribit and GRVT emulators of the run (`startPaperVenues`), when the config has their roles. */
  readonly venues?: PaperVenueEndpoints | undefined
}

/** Environment variables the generated INI refers to (emulator keys and the anvil LP wallet: not real credentials). */
export const PAPER_ENV = {
  binanceKey: 'ALP_PAPER_BINANCE_KEY',
  binanceSecret: 'ALP_PAPER_BINANCE_SECRET',
  lpKey: 'ALP_PAPER_LP_KEY',
} as const

const VENUE_ROLE = /^(binance|deribit|grvt)\.(quote-server|trading-engine|position-server)$/

/**
 * Writes `<outDir>/paper.ini`: the user's config files (every role's strategy and hedger keys as written) with the
 * connection keys of the paper run filled in: per Binance venue role the emulator's `HTTP_BASE_URL` and `WS_PUBLIC_URL`
 * and (trading-engine, position-server) `API_KEY` / `API_SECRET` as `env:` references; the lp-manager's `RPC_URL`,
 * `CHAIN_ID`, `POOL_ADDRESS`, `POSITION_MANAGER_ADDRESS`, `BASE_TOKEN`, `SWAP_ROUTER_ADDRESS`, `QUOTER_V2_ADDRESS`,
 * `WALLET_KEY` (`env:`), `CONFIRMATIONS = 0`, `MULTICALL3_ADDRESS = none`, its plan store and checkpoint under the run's
 * `DATA_DIR`, and (unless the config sets them) guards for a replayed chain (TWAP over 60 s within 1 000 ticks,
 * receipts within 10 s polled every 20 ms, replacement after 5 s), and the gas units of its gas-vs-gain check
 * (`GAS_UNITS_MINT` / `_BURN` / `_COLLECT`) from the paper strategy's `gasUsed`, the table the backtester it is compared
 * with uses (default `PAPER_STRATEGY_DEFAULTS.gasUsed`); the trader's `DATA_DIR`; every `METRICS_PORT` = 0 (a free
 * port). The file is then loaded and validated like any deployment config.
 */
export function writePaperIni(
  configFiles: readonly string[],
  endpoints: PaperEndpoints,
  outDir: string,
  options: { readonly gasUsed?: PaperStrategy['gasUsed'] | undefined } = {},
): string {
  const gasUsed = options.gasUsed ?? PAPER_STRATEGY_DEFAULTS.gasUsed
  const sections = new Map<string, Map<string, string>>()
  for (const file of configFiles) {
    const doc = parseIni(readFileSync(file, 'utf8'))
    if (doc.problems.length > 0)
      throw new RuntimeError(`${file}: ${doc.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`, {
        code: 'CONFIG_INVALID',
      })
    for (const section of doc.sections) {
      const entries = sections.get(section.name) ?? new Map<string, string>()
      for (const entry of section.entries) entries.set(entry.key, entry.value)
      sections.set(section.name, entries)
    }
  }
  const set = (section: string, key: string, value: string, ifAbsent = false): void => {
    const entries = sections.get(section) ?? new Map<string, string>()
    if (!(ifAbsent && entries.has(key))) entries.set(key, value)
    sections.set(section, entries)
  }
  const roles = [...sections.keys()].filter(
    (name) => VENUE_ROLE.test(name) || name === 'trader' || name === 'lp-manager',
  )
  for (const role of roles) {
    set(role, 'METRICS_PORT', '0')
    const venue = VENUE_ROLE.exec(role)
    if (venue !== null) {
      if (venue[1] !== 'binance') {
        if (setPaperVenueKeys(set, role, venue[1] as string, venue[2] as string, endpoints.venues)) continue
        throw new RuntimeError(`[${role}]: paper mode has no ${venue[1]} emulator running.`, {
          code: 'PAPER_VENUE_NOT_SUPPORTED',
          metaMessages: [
            'Next: start the run with runPaper (it starts the Deribit and GRVT emulators the config names).',
          ],
        })
      }
      set(`${role}.HTTP_API`, 'HTTP_BASE_URL', endpoints.binance.restUrl)
      set(`${role}.WEBSOCKET`, 'WS_PUBLIC_URL', `${endpoints.binance.wsUrl}/public`)
      if (venue[2] !== 'quote-server') {
        set(role, 'API_KEY', `env:${PAPER_ENV.binanceKey}`)
        set(role, 'API_SECRET', `env:${PAPER_ENV.binanceSecret}`)
      }
    } else if (role === 'trader') set(role, 'DATA_DIR', endpoints.dataDir)
    else {
      set('lp-manager.LP', 'RPC_URL', endpoints.chain.rpcUrl)
      set('lp-manager.LP', 'CHAIN_ID', String(endpoints.chain.chainId))
      set('lp-manager.LP', 'POOL_ADDRESS', endpoints.chain.pool)
      set('lp-manager.LP', 'POSITION_MANAGER_ADDRESS', endpoints.chain.positionManager)
      set('lp-manager.LP', 'WALLET_KEY', `env:${PAPER_ENV.lpKey}`)
      set('lp-manager.LP', 'BASE_TOKEN', endpoints.chain.baseToken)
      set('lp-manager.LP', 'SWAP_ROUTER_ADDRESS', endpoints.chain.swapRouter)
      set('lp-manager.LP', 'QUOTER_V2_ADDRESS', endpoints.chain.quoterV2)
      set('lp-manager.LP', 'CONFIRMATIONS', '0')
      // anvil has no Multicall3; the plan store and checkpoint of this run under the run's DATA_DIR.
      set('lp-manager.LP', 'MULTICALL3_ADDRESS', 'none')
      set(role, 'DATA_DIR', endpoints.dataDir)
      set('lp-manager.LP', 'PLAN_STORE_PATH', `${endpoints.dataDir}/rebalance-plan.json`)
      set('lp-manager.LP', 'CHECKPOINT_PATH', `${endpoints.dataDir}/lp-manager-checkpoint.json`)
      // Guards sized for a replayed chain whose transactions are mined at once (the config's own values win): the
      // pool's oracle holds only the day's replayed blocks, receipts come in the next block.
      set('lp-manager.LP', 'TWAP_WINDOW_SEC', '60', true)
      set('lp-manager.LP', 'TWAP_MAX_DEVIATION_TICKS', '1000', true)
      set('lp-manager.LP', 'RECEIPT_TIMEOUT_MS', '10000', true)
      set('lp-manager.LP', 'RECEIPT_POLL_INTERVAL_MS', '20', true)
      set('lp-manager.LP', 'REPLACE_AFTER_MS', '5000', true)
      // The backtester's gasUsed table: both sides' gas-vs-gain checks price a rebalance with the same units.
      set('lp-manager.LP', 'GAS_UNITS_MINT', String(gasUsed.mint))
      set('lp-manager.LP', 'GAS_UNITS_BURN', String(gasUsed.burn))
      set('lp-manager.LP', 'GAS_UNITS_COLLECT', String(gasUsed.collect))
    }
  }
  const text = [
    '; Written by `alp paper`: the config files given, with the paper run’s endpoints filled in.',
    ...[...sections].map(
      ([name, entries]) => `\n[${name}]\n${[...entries].map(([key, value]) => `${key} = ${value}`).join('\n')}`,
    ),
  ].join('\n')
  const file = join(outDir, 'paper.ini')
  writeFileSync(file, `${text}\n`)
  return file
}

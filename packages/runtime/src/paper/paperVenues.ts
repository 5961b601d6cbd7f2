import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { type RunningDeribitEmulator, startDeribitEmulator } from '@alp/venue-sim/deribit'
import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { parseIni } from '../config/parseIni.js'

/** A replay clock as the emulators take it (`createReplayClock` of @alp/venue-sim). */
type EmulatorClock = NonNullable<Parameters<typeof startDeribitEmulator>[0]['clock']>

/** Where paper mode's Deribit and GRVT emulators listen (only those the config has roles for). */
export type PaperVenueEndpoints = {
  readonly deribit?: { readonly restUrl: string; readonly wsUrl: string } | undefined
  readonly grvt?:
    | { readonly restUrl: string; readonly wsUrl: string; readonly subAccountId: string; readonly chainId: number }
    | undefined
}

/** Environment variables the generated INI refers to for Deribit and GRVT (emulator keys: not real credentials). */
export const PAPER_VENUE_ENV = {
  deribitKey: 'ALP_PAPER_DERIBIT_KEY',
  deribitSecret: 'ALP_PAPER_DERIBIT_SECRET',
  grvtKey: 'ALP_PAPER_GRVT_KEY',
  grvtSigner: 'ALP_PAPER_GRVT_SIGNER',
} as const

/** The Deribit and GRVT emulators of one paper run. */
export type PaperVenues = {
  readonly endpoints: PaperVenueEndpoints
  /** The `env:` values of their keys (add to the environment the config is loaded with). */
  readonly env: Readonly<Record<string, string>>
  readonly deribit: RunningDeribitEmulator | null
  readonly grvt: RunningGrvtEmulator | null
  close(): Promise<void>
}

const GRVT_SUB_ACCOUNT = '1001'
const GRVT_CHAIN_ID = 326

/**
 * Paper mode's other venues: for each of Deribit and GRVT that the config has venue roles for
 * (`[deribit.quote-server]`, `[grvt.trading-engine]`, …), its emulator on the run's replay clock replaying the same
 * klines as the Binance emulator (`market: klines` on the roles' `[MARKET_DATA] SYMBOLS`: Deribit's inverse
 * `ETH-PERPETUAL` or linear `ETH_USDC-PERPETUAL`, GRVT's `ETH_USDT_Perp`), the instrument on the grid of the trader's
 * `[trader.HEDGER.VENUE.<deribit…|grvt…>]` (TICK_SIZE, STEP_SIZE), one funded account with random keys.
 */
export async function startPaperVenues(parameters: {
  readonly configFiles: readonly string[]
  readonly clock: EmulatorClock
  readonly klinesFile: string
}): Promise<PaperVenues> {
  const sections = readSections(parameters.configFiles)
  const venueOf = (exchange: 'deribit' | 'grvt') => {
    const roles = [...sections.keys()].filter((name) =>
      new RegExp(`^${exchange}\\.(quote-server|trading-engine|position-server)$`).test(name),
    )
    if (roles.length === 0) return null
    const symbol = roles
      .map((role) => sections.get(`${role}.MARKET_DATA`)?.get('SYMBOLS')?.split(',')[0]?.trim())
      .find((s) => s !== undefined && s !== '')
    const grid = [...sections.keys()]
      .filter((name) => name.startsWith(`trader.HEDGER.VENUE.${exchange}`))
      .map((name) => sections.get(name) as Map<string, string>)[0]
    return { symbol, tickSize: grid?.get('TICK_SIZE'), stepSize: grid?.get('STEP_SIZE') }
  }
  const env: Record<string, string> = {}
  let deribit: RunningDeribitEmulator | null = null
  let grvt: RunningGrvtEmulator | null = null
  const close = async () => {
    await deribit?.close()
    await grvt?.close()
  }
  try {
    const d = venueOf('deribit')
    if (d !== null) {
      const symbol = d.symbol ?? 'ETH-PERPETUAL'
      const clientId = randomKey(8)
      const clientSecret = randomKey(16)
      const inverse = !symbol.includes('_')
      deribit = await startDeribitEmulator({
        port: 0,
        clock: parameters.clock,
        // Every 20 ms of wall time (the Binance emulator: 10): up to three emulators share the process with every
        // role; a minute's kline prints a handful of trades, well apart at any replay speed.
        tickIntervalMs: 20,
        instruments: [
          {
            instrumentName: symbol,
            ...(d.tickSize === undefined ? {} : { tickSize: d.tickSize }),
            ...(inverse || d.stepSize === undefined ? {} : { stepSize: d.stepSize }),
          },
        ],
        accounts: [{ clientId, clientSecret, balances: { ETH: '1000', USDC: '10000000' } }],
        market: { kind: 'klines', file: parameters.klinesFile, instrumentName: symbol, seed: 2 },
        seed: 2,
      })
      env[PAPER_VENUE_ENV.deribitKey] = clientId
      env[PAPER_VENUE_ENV.deribitSecret] = clientSecret
    }
    const g = venueOf('grvt')
    if (g !== null) {
      const symbol = g.symbol ?? 'ETH_USDT_Perp'
      const apiKey = randomKey(12)
      const signer = `0x${randomKey(32)}`
      grvt = await startGrvtEmulator({
        port: 0,
        clock: parameters.clock,
        tickIntervalMs: 20,
        chainId: GRVT_CHAIN_ID,
        instruments: [
          {
            instrument: symbol,
            instrumentHash: '0x030401',
            ...(g.tickSize === undefined ? {} : { tickSize: g.tickSize }),
            ...(g.stepSize === undefined ? {} : { minSize: g.stepSize }),
          },
        ],
        accounts: [
          { apiKey, signerPrivateKeys: [signer], subAccountId: GRVT_SUB_ACCOUNT, balances: { USDT: '10000000' } },
        ],
        market: { kind: 'klines', file: parameters.klinesFile, instrument: symbol, seed: 3 },
        seed: 3,
      })
      env[PAPER_VENUE_ENV.grvtKey] = apiKey
      env[PAPER_VENUE_ENV.grvtSigner] = signer
    }
  } catch (error) {
    await close().catch(() => undefined)
    throw error
  }
  return {
    endpoints: {
      ...(deribit === null ? {} : { deribit: { restUrl: deribit.restUrl, wsUrl: deribit.wsUrl } }),
      ...(grvt === null
        ? {}
        : {
            grvt: { restUrl: grvt.restUrl, wsUrl: grvt.wsUrl, subAccountId: GRVT_SUB_ACCOUNT, chainId: GRVT_CHAIN_ID },
          }),
    },
    env,
    deribit,
    grvt,
    close,
  }
}

/**
 * The paper run's keys of one Deribit or GRVT venue role section (`writePaperIni`): Deribit's `WS_PUBLIC_URL` (its
 * one JSON-RPC WebSocket), `HTTP_BASE_URL` and, for the trading-engine and position-server, `API_KEY` / `API_SECRET` as `env:`
 * references; GRVT's `HTTP_BASE_URL` (edge, trades and market data), `WS_PUBLIC_URL` (both streams), `API_KEY` and
 * for the account roles `API_SECRET` (the signing key) and `[GRVT] SUB_ACCOUNT_ID` / `CHAIN_ID`.
 * @returns false when the run has no emulator for that exchange.
 */
export function setPaperVenueKeys(
  set: (section: string, key: string, value: string) => void,
  role: string,
  exchange: string,
  kind: string,
  endpoints: PaperVenueEndpoints | undefined,
): boolean {
  const account = kind !== 'quote-server'
  if (exchange === 'deribit' && endpoints?.deribit !== undefined) {
    set(`${role}.HTTP_API`, 'HTTP_BASE_URL', endpoints.deribit.restUrl)
    set(`${role}.WEBSOCKET`, 'WS_PUBLIC_URL', endpoints.deribit.wsUrl)
    if (account) {
      set(role, 'API_KEY', `env:${PAPER_VENUE_ENV.deribitKey}`)
      set(role, 'API_SECRET', `env:${PAPER_VENUE_ENV.deribitSecret}`)
    }
    return true
  }
  if (exchange === 'grvt' && endpoints?.grvt !== undefined) {
    set(`${role}.HTTP_API`, 'HTTP_BASE_URL', endpoints.grvt.restUrl)
    set(`${role}.WEBSOCKET`, 'WS_PUBLIC_URL', endpoints.grvt.wsUrl)
    set(role, 'API_KEY', `env:${PAPER_VENUE_ENV.grvtKey}`)
    if (account) {
      set(role, 'API_SECRET', `env:${PAPER_VENUE_ENV.grvtSigner}`)
      set(`${role}.GRVT`, 'SUB_ACCOUNT_ID', endpoints.grvt.subAccountId)
      set(`${role}.GRVT`, 'CHAIN_ID', String(endpoints.grvt.chainId))
    }
    return true
  }
  return false
}

function readSections(files: readonly string[]): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>()
  for (const file of files)
    for (const section of parseIni(readFileSync(file, 'utf8')).sections) {
      const entries = sections.get(section.name) ?? new Map<string, string>()
      for (const entry of section.entries) entries.set(entry.key, entry.value)
      sections.set(section.name, entries)
    }
  return sections
}

function randomKey(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

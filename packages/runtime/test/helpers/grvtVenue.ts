import {
  createGrvtClientOrderId,
  createGrvtConnector,
  type GrvtConnector,
  type Order,
  systemClock,
} from '@alp/exchange-connectors'
import { type RunningGrvtEmulator, startGrvtEmulator } from '@alp/venue-sim/grvt'
import { traderIni } from './traderIni.js'

/** The GRVT instrument of the deployment tests. */
export const GRVT_SYMBOL = 'ETH_USDT_Perp'

/** A GRVT emulator account: API key, EIP-712 signing key, sub-account. */
export type GrvtTestAccount = { readonly apiKey: string; readonly signer: string; readonly sub: string }

// Public anvil test keys #5 and #6 (known to everyone; they sign emulator orders only).
export const GRVT_HEDGER: GrvtTestAccount = {
  apiKey: 'grvthedgerkey',
  signer: '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  sub: '1001',
}
export const GRVT_TAKER: GrvtTestAccount = {
  apiKey: 'grvttakerkey',
  signer: '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  sub: '1002',
}
/** The environment the GRVT roles' `env:` keys read (the hedger's account). */
export const GRVT_ENV = { GRVT_KEY: GRVT_HEDGER.apiKey, GRVT_SIGNER: GRVT_HEDGER.signer }

let nonce = 1
let ids = 0n
/** The next client order id of the test's own GRVT orders (one sequence per test file). */
export const nextGrvtClientOrderId = (): string => createGrvtClientOrderId(++ids)

/**
 * The GRVT emulator of the deployment tests: ETH_USDT_Perp (0.01 tick, 0.01 size) and any `extraInstruments`, the
 * hedger's and the taker's accounts with `balanceUsdt` each, no market of its own (the test makes the book).
 */
export function startGrvtVenue(
  options: {
    readonly extraInstruments?: Parameters<typeof startGrvtEmulator>[0]['instruments']
    readonly balanceUsdt?: string
  } = {},
): Promise<RunningGrvtEmulator> {
  return startGrvtEmulator({
    instruments: [
      { instrument: GRVT_SYMBOL, instrumentHash: '0x030401', tickSize: '0.01', minSize: '0.01' },
      ...(options.extraInstruments ?? []),
    ],
    accounts: [GRVT_HEDGER, GRVT_TAKER].map((a) => ({
      apiKey: a.apiKey,
      signerPrivateKeys: [a.signer],
      subAccountId: a.sub,
      balances: { USDT: options.balanceUsdt ?? '100000' },
    })),
    market: { kind: 'none' },
  })
}

/** A GRVT connector of the test (not the deployment's) on the emulator, with `account`'s keys. */
export function connectGrvt(emu: RunningGrvtEmulator, account: GrvtTestAccount): Promise<GrvtConnector> {
  return createGrvtConnector({
    urls: {
      edgeUrl: emu.restUrl,
      tradesUrl: emu.restUrl,
      marketDataUrl: emu.restUrl,
      marketDataWsUrl: emu.wsUrl,
      tradesWsUrl: emu.wsUrl,
    },
    apiKey: account.apiKey,
    signerPrivateKey: account.signer,
    subAccountId: account.sub,
    chainId: 326,
    clock: systemClock,
    random: Math.random,
    nextNonce: () => nonce++,
  })
}

/** The taker's background book: 5 ETH bid at 2 675 and 5 ETH offered at 2 685. */
export async function placeGrvtBackgroundLiquidity(taker: GrvtConnector): Promise<void> {
  for (const [side, price] of [
    ['buy', '2675.00'],
    ['sell', '2685.00'],
  ] as const)
    await taker.execution.placeOrder({
      symbol: GRVT_SYMBOL,
      side,
      price,
      sizeBase: '5.00',
      timeInForce: 'gtc',
      clientOrderId: nextGrvtClientOrderId(),
    })
}

/**
 * Moves the top of the emulator's book (a bid above the best placed and cancelled): GRVT's connector derives its best
 * bid/offer from the book and emits one only when the top moves.
 */
export async function pokeGrvt(taker: GrvtConnector): Promise<void> {
  const clientOrderId = nextGrvtClientOrderId()
  await taker.execution.placeOrder({
    symbol: GRVT_SYMBOL,
    side: 'buy',
    price: '2676.00',
    sizeBase: '0.01',
    timeInForce: 'gtc',
    clientOrderId,
  })
  await taker.execution.cancelOrder({ symbol: GRVT_SYMBOL, clientOrderId })
}

/** The hedger's open orders on ETH_USDT_Perp as the venue lists them (`observer`: a connector with its keys). */
export async function grvtOpenOrders(observer: GrvtConnector): Promise<Order[]> {
  return (await observer.execution.getOpenOrders()).filter((order) => order.symbol === GRVT_SYMBOL)
}

/**
 * One GRVT venue role's sections: its keys (`API_KEY`, and `API_SECRET` with the `[GRVT]` sub-account and chain id
 * when `account`), the emulator's one base URL for HTTP (edge, trades, market data) and both WebSocket streams.
 */
export function grvtRoleIni(emu: RunningGrvtEmulator, role: string, account: boolean): string {
  return `[grvt.${role}]
PROCESS_NAME = grvt_${role.replace('-', '_')}
ASSET_TYPE = PERPETUAL
METRICS_PORT = 0
API_KEY = env:GRVT_KEY
${account ? 'API_SECRET = env:GRVT_SIGNER\n' : ''}[grvt.${role}.HTTP_API]
HTTP_BASE_URL = ${emu.restUrl}
[grvt.${role}.WEBSOCKET]
WS_PUBLIC_URL = ${emu.wsUrl}
[grvt.${role}.MARKET_DATA]
SYMBOLS = ${GRVT_SYMBOL}
${account ? `[grvt.${role}.GRVT]\nSUB_ACCOUNT_ID = ${GRVT_HEDGER.sub}\nCHAIN_ID = 326\n` : ''}`
}

/**
 * The GRVT hedge deployment's roles: quote-server (with the account's keys when `quoteServerKeys`), trading-engine
 * and position-server on the emulator, and the trader ([trader.HEDGER.VENUE.grvt]: 0.01 grid, 20 USDT minimum
 * notional, no amend, a 5 s dead-man switch re-armed every 0.5 s) with its journal under `dataDir`.
 */
export function grvtHedgeIni(emu: RunningGrvtEmulator, dataDir: string, quoteServerKeys: boolean): string {
  return `${grvtRoleIni(emu, 'quote-server', quoteServerKeys)}
${grvtRoleIni(emu, 'trading-engine', true)}
${grvtRoleIni(emu, 'position-server', true)}
${traderIni({
  dataDir,
  venue: 'grvt',
  venueKeys: `TICK_SIZE = 0.01
STEP_SIZE = 0.01
MIN_NOTIONAL_QUOTE = 20
SUPPORTS_AMEND = false
DEAD_MAN_TIMEOUT_MS = 5000
DEAD_MAN_REARM_MS = 500`,
})}`
}

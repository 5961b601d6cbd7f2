import { formatE8 } from './formatFutures.js'
import { type Route, type RouteContext, requireAccount } from './routeTypes.js'
import { SPOT_PREFIX } from './spotPrefix.js'

/** Full names Binance prints for common coins; any other coin is named by its code. */
const COIN_NAMES: Record<string, string> = {
  BTC: 'Bitcoin',
  ETH: 'Ethereum',
  BNB: 'BNB',
  USDT: 'TetherUS',
  USDC: 'USDC',
  FDUSD: 'First Digital USD',
  BUSD: 'BUSD',
}

/**
 * `GET /sapi/v1/capital/config/getall` (USER_DATA, weight 10): one row per coin of the spot symbols and of the account's spot
 * wallet, in Binance's shape, with `free` / `locked` from the spot wallet. The emulator has no deposits or withdrawals on any
 * network, so `depositAllEnable` / `withdrawAllEnable` are false and `networkList` is empty.
 */
function allCoins(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const balances = ctx.emu.engine.account(account.spotAccountId).balances
  const coins: string[] = []
  const add = (coin: string) => {
    if (!coins.includes(coin)) coins.push(coin)
  }
  for (const wire of ctx.emu.spotSymbols) {
    const inst = ctx.emu.engine.instrument(SPOT_PREFIX + wire)
    add(inst.baseAsset)
    add(inst.quoteAsset)
  }
  for (const asset of balances.keys()) add(asset)
  return coins.map((coin) => {
    const b = balances.get(coin)
    const locked = b?.lockedE8 ?? 0n
    return {
      coin,
      depositAllEnable: false,
      withdrawAllEnable: false,
      name: COIN_NAMES[coin] ?? coin,
      free: formatE8((b?.walletE8 ?? 0n) - locked),
      locked: formatE8(locked),
      freeze: '0',
      withdrawing: '0',
      ipoing: '0',
      ipoable: '0',
      storage: '0',
      isLegalMoney: false,
      trading: true,
      networkList: [],
    }
  })
}

/** The wallet (`/sapi/v1/capital/*`) routes the emulator answers. */
export function walletRoutes(): Route[] {
  return [
    { method: 'GET', path: '/sapi/v1/capital/config/getall', security: 'SIGNED', weight: () => 10, handler: allCoins },
  ]
}

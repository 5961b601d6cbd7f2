import type { ExchangeName } from '../config/keys.js'

/** One server-time reading: the venue's time and our send/receive times around it, ms since the epoch. */
export type VenueTimeReading = { readonly serverMs: number; readonly sentMs: number; readonly receivedMs: number }

/**
 * Reads a venue's server time: Binance `GET /fapi/v1/time` (`serverTime`, ms), Deribit `GET /api/v2/public/get_time`
 * (`result`, ms), GRVT `POST /full/v1/mini` for the first symbol (`result.event_time`, ns: GRVT publishes no time
 * endpoint; the mini ticker is stamped with the server's time when it answers).
 * @throws Error naming the URL (never credentials: these are public endpoints) when the venue does not answer as expected.
 */
export async function fetchVenueTime(parameters: {
  exchange: ExchangeName
  baseUrl: string
  symbol?: string | undefined
  timeoutMs: number
  now?: (() => number) | undefined
}): Promise<VenueTimeReading> {
  const now = parameters.now ?? Date.now
  const base = parameters.baseUrl.replace(/\/+$/, '')
  const signal = AbortSignal.timeout(parameters.timeoutMs)
  const sentMs = now()
  let serverMs: number
  if (parameters.exchange === 'binance') {
    const body = (await getJson(`${base}/fapi/v1/time`, { signal })) as { serverTime?: unknown }
    serverMs = Number(body.serverTime)
  } else if (parameters.exchange === 'deribit') {
    const body = (await getJson(`${base}/api/v2/public/get_time`, { signal })) as { result?: unknown }
    serverMs = Number(body.result)
  } else {
    const body = (await getJson(`${base}/full/v1/mini`, {
      signal,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instrument: parameters.symbol ?? 'BTC_USDT_Perp' }),
    })) as { result?: { event_time?: unknown } }
    const ns = body.result?.event_time
    serverMs = typeof ns === 'string' && /^[0-9]+$/.test(ns) ? Number(BigInt(ns) / 1_000_000n) : Number.NaN
  }
  const receivedMs = now()
  if (!Number.isFinite(serverMs) || serverMs <= 0) throw new Error(`${base}: the answer has no server time`)
  return { serverMs, sentMs, receivedMs }
}

async function getJson(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, init)
  const text = await res.text()
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${url}: not JSON`)
  }
}

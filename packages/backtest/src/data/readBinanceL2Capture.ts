import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import { EventsOutOfOrderError, InvalidFieldError } from '../errors/input.js'
import { decimalToTicks } from '../strategy/decimalToTicks.js'

/** One message of a Binance raw websocket capture (hftbacktest's collector format), prices and sizes on the grid. */
export type L2CaptureEvent =
  | {
      readonly kind: 'snapshot'
      readonly tsLocalNs: bigint
      readonly lastUpdateId: number
      readonly bids: [number, number][]
      readonly asks: [number, number][]
      readonly row: number
    }
  | {
      readonly kind: 'depth'
      readonly tsLocalNs: bigint
      readonly tsExchangeNs: bigint
      readonly lastUpdateId: number
      /** Absolute sizes of the changed levels (0 = level removed). */
      readonly bids: [number, number][]
      readonly asks: [number, number][]
      readonly row: number
    }
  | {
      readonly kind: 'trade'
      readonly tsLocalNs: bigint
      readonly tsExchangeNs: bigint
      readonly priceTicks: number
      readonly sizeLots: number
      /** true: the buyer was the maker, i.e. a sell order hit the bid. */
      readonly buyerIsMaker: boolean
      readonly row: number
    }
  | { readonly kind: 'bookTicker'; readonly tsLocalNs: bigint; readonly row: number }

export type ReadBinanceL2CaptureParameters = { path: string; tickSize: string; stepSize: string }

/**
 * Streams a gzip capture ("<local_recv_ts_ns> <json>" per line: depth diffs, trades, bookTicker, and a REST snapshot
 * line). Local timestamps must not go back; a malformed line is an InvalidFieldError naming the row.
 */
export async function* readBinanceL2Capture({
  path,
  tickSize,
  stepSize,
}: ReadBinanceL2CaptureParameters): AsyncGenerator<L2CaptureEvent> {
  const file = basename(path)
  const lines = createInterface({
    input: createReadStream(path).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  const levels = (raw: unknown, row: number, field: string): [number, number][] => {
    if (!Array.isArray(raw))
      throw new InvalidFieldError({ file, row, field, value: String(raw), rule: 'an array of [price, size]' })
    return raw.map((level: [string, string]) => [
      decimalToTicks(level[0], tickSize),
      decimalToTicks(level[1], stepSize),
    ])
  }
  let row = 0
  let last = -1n
  try {
    for await (const line of lines) {
      row++
      if (line.length === 0) continue
      const space = line.indexOf(' ')
      const tsText = line.slice(0, space)
      if (space <= 0 || !/^\d+$/.test(tsText))
        throw new InvalidFieldError({
          file,
          row,
          field: 'local_recv_ts_ns',
          value: tsText,
          rule: 'integer nanoseconds',
        })
      const tsLocalNs = BigInt(tsText)
      if (tsLocalNs < last)
        throw new EventsOutOfOrderError({ file, row, field: 'local_recv_ts_ns', previous: String(last), value: tsText })
      last = tsLocalNs
      let message: Record<string, unknown>
      try {
        message = JSON.parse(line.slice(space + 1)) as Record<string, unknown>
      } catch (cause) {
        throw new InvalidFieldError({
          file,
          row,
          field: 'json',
          value: line.slice(space + 1, space + 41),
          rule: `valid JSON (${(cause as Error).message})`,
        })
      }
      if ('lastUpdateId' in message) {
        yield {
          kind: 'snapshot',
          tsLocalNs,
          lastUpdateId: Number(message.lastUpdateId),
          bids: levels(message.bids, row, 'bids'),
          asks: levels(message.asks, row, 'asks'),
          row,
        }
        continue
      }
      const stream = String(message.stream ?? '')
      const data = message.data as Record<string, unknown> | undefined
      if (data === undefined)
        throw new InvalidFieldError({ file, row, field: 'data', value: 'missing', rule: 'a combined-stream payload' })
      if (stream.includes('@depth')) {
        yield {
          kind: 'depth',
          tsLocalNs,
          tsExchangeNs: BigInt(Number(data.E)) * 1_000_000n,
          lastUpdateId: Number(data.u),
          bids: levels(data.b, row, 'b'),
          asks: levels(data.a, row, 'a'),
          row,
        }
      } else if (stream.endsWith('@trade')) {
        const price = String(data.p)
        if (!/[1-9]/.test(price))
          throw new InvalidFieldError({ file, row, field: 'p', value: price, rule: 'a price > 0' })
        yield {
          kind: 'trade',
          tsLocalNs,
          tsExchangeNs: BigInt(Number(data.T)) * 1_000_000n,
          priceTicks: decimalToTicks(price, tickSize),
          sizeLots: decimalToTicks(String(data.q), stepSize),
          buyerIsMaker: data.m === true,
          row,
        }
      } else if (stream.endsWith('@bookTicker')) {
        yield { kind: 'bookTicker', tsLocalNs, row }
      } else {
        throw new InvalidFieldError({ file, row, field: 'stream', value: stream, rule: 'depth, trade or bookTicker' })
      }
    }
  } finally {
    lines.close()
  }
}

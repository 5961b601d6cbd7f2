import { EventsOutOfOrderError, InvalidFieldError } from '../errors/input.js'
import { parseDecimalField, parseEpochMsField, parsePositiveDecimalField } from './parseFields.js'
import { openCsv } from './readCsvRows.js'
import type { KlineEvent } from './types.js'

const MINUTE_NS = 60_000_000_000n

/**
 * Streams Binance one-minute klines (open_time ms, open, high, low, close, volume), stamped at the bar close
 * (open_time + 60 s). Prices must be > 0, low ≤ open/close ≤ high, and open_time strictly increasing.
 * @throws CsvColumnMissingError, InvalidFieldError, EventsOutOfOrderError (each naming file, row and field).
 */
export async function* readKlines(path: string): AsyncGenerator<KlineEvent> {
  for await (const batch of readKlineBatches(path)) yield* batch
}

/** The same klines as `readKlines`, one array per file chunk, for `mergeSourceBatches`. */
export async function* readKlineBatches(path: string): AsyncGenerator<KlineEvent[]> {
  const source = await openCsv(path, ['open_time', 'open', 'high', 'low', 'close', 'volume'], {
    onlyRequiredColumns: true,
  })
  const c = source.columns
  const file = source.file
  let lastOpenNs = -1n
  // One context object per field, reading the current row lazily (no allocation per row).
  let row = 0
  const contexts = new Map<string, { file: string; readonly row: number; field: string }>()
  const ctx = (field: string) => {
    let context = contexts.get(field)
    if (context === undefined) {
      context = {
        file,
        get row() {
          return row
        },
        field,
      }
      contexts.set(field, context)
    }
    return context
  }
  const ctxs = {
    open_time: ctx('open_time'),
    open: ctx('open'),
    high: ctx('high'),
    low: ctx('low'),
    close: ctx('close'),
    volume: ctx('volume'),
  }
  for await (const lines of source.rowBatches) {
    const batch: KlineEvent[] = []
    for (const line of lines) {
      row = line.row
      const fields = line.fields
      const openTimeNs = parseEpochMsField(fields[c.open_time!], ctxs.open_time)
      if (openTimeNs <= lastOpenNs) {
        throw new EventsOutOfOrderError({
          file,
          row,
          field: 'open_time',
          previous: String(lastOpenNs / 1_000_000n),
          value: String(openTimeNs / 1_000_000n),
        })
      }
      lastOpenNs = openTimeNs
      const open = parsePositiveDecimalField(fields[c.open!], ctxs.open)
      const high = parsePositiveDecimalField(fields[c.high!], ctxs.high)
      const low = parsePositiveDecimalField(fields[c.low!], ctxs.low)
      const close = parsePositiveDecimalField(fields[c.close!], ctxs.close)
      const volumeBase = parseDecimalField(fields[c.volume!], ctxs.volume)
      const o = Number(open)
      const h = Number(high)
      const l = Number(low)
      const cl = Number(close)
      if (l > Math.min(o, cl) || h < Math.max(o, cl)) {
        throw new InvalidFieldError({
          file,
          row,
          field: l > Math.min(o, cl) ? 'low' : 'high',
          value: l > Math.min(o, cl) ? low : high,
          rule: 'low ≤ open, close ≤ high',
        })
      }
      batch.push({
        source: 'kline',
        tsNs: openTimeNs + MINUTE_NS,
        openTimeNs,
        open,
        high,
        low,
        close,
        volumeBase,
        file,
        row,
      })
    }
    if (batch.length > 0) yield batch
  }
}

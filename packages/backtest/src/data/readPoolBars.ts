import { EventsOutOfOrderError } from '../errors/input.js'
import { parseBigIntField, parseTickField, parseUtcDateTimeField } from './parseFields.js'
import { openCsv } from './readCsvRows.js'
import type { PoolBarEvent } from './types.js'

const MINUTE_NS = 60_000_000_000n

/**
 * Streams demeter one-minute pool bars (`*.minute.csv`), stamped at the bar close. Rows must be strictly increasing in
 * time (gaps are allowed: the Polygon 2023-08-14 file lacks 00:00).
 */
export async function* readPoolBars(path: string): AsyncGenerator<PoolBarEvent> {
  const source = await openCsv(path, [
    'timestamp',
    'netAmount0',
    'netAmount1',
    'closeTick',
    'openTick',
    'lowestTick',
    'highestTick',
    'inAmount0',
    'inAmount1',
    'currentLiquidity',
  ])
  const c = source.columns
  const file = source.file
  let lastNs = -1n
  for await (const { row, fields } of source.rows) {
    const ctx = (field: string) => ({ file, row, field })
    const openTimeNs = parseUtcDateTimeField(fields[c.timestamp!], ctx('timestamp'))
    if (openTimeNs <= lastNs) {
      throw new EventsOutOfOrderError({
        file,
        row,
        field: 'timestamp',
        previous: String(lastNs),
        value: String(openTimeNs),
      })
    }
    lastNs = openTimeNs
    yield {
      source: 'poolBar',
      tsNs: openTimeNs + MINUTE_NS,
      openTimeNs,
      netAmount0: parseBigIntField(fields[c.netAmount0!], ctx('netAmount0')),
      netAmount1: parseBigIntField(fields[c.netAmount1!], ctx('netAmount1')),
      openTick: parseTickField(fields[c.openTick!], ctx('openTick')),
      closeTick: parseTickField(fields[c.closeTick!], ctx('closeTick')),
      lowestTick: parseTickField(fields[c.lowestTick!], ctx('lowestTick')),
      highestTick: parseTickField(fields[c.highestTick!], ctx('highestTick')),
      inAmount0: parseBigIntField(fields[c.inAmount0!], ctx('inAmount0')),
      inAmount1: parseBigIntField(fields[c.inAmount1!], ctx('inAmount1')),
      currentLiquidity: parseBigIntField(fields[c.currentLiquidity!], ctx('currentLiquidity')),
      file,
      row,
    }
  }
}

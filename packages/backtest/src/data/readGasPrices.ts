import { EventsOutOfOrderError, InvalidFieldError } from '../errors/input.js'
import { parsePositiveDecimalField, parseUtcDateTimeField } from './parseFields.js'
import { openCsv } from './readCsvRows.js'
import type { GasPriceEvent } from './types.js'

/** gwei decimal string → wei, exactly (up to 9 fractional digits kept; more digits are truncated toward zero). */
function gweiToWei(gwei: string): bigint {
  const [whole = '0', fraction = ''] = gwei.split('.')
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9))
}

/** Streams a gas price series (block_timestamp, gas_price in gwei). */
export async function* readGasPrices(path: string): AsyncGenerator<GasPriceEvent> {
  const source = await openCsv(path, ['block_timestamp', 'gas_price'])
  const c = source.columns
  const file = source.file
  let lastNs = -1n
  for await (const { row, fields } of source.rows) {
    const ctx = (field: string) => ({ file, row, field })
    const tsNs = parseUtcDateTimeField(fields[c.block_timestamp!], ctx('block_timestamp'))
    if (tsNs <= lastNs)
      throw new EventsOutOfOrderError({
        file,
        row,
        field: 'block_timestamp',
        previous: String(lastNs),
        value: String(tsNs),
      })
    lastNs = tsNs
    const gwei = parsePositiveDecimalField(fields[c.gas_price!], ctx('gas_price'))
    const gasPriceWei = gweiToWei(gwei)
    if (gasPriceWei === 0n)
      throw new InvalidFieldError({ file, row, field: 'gas_price', value: gwei, rule: 'must be ≥ 1 wei' })
    yield { source: 'gasPrice', tsNs, gasPriceWei, file, row }
  }
}

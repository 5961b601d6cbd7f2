import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readKlines } from '../src/data/readKlines.js'
import { readPoolLogEvents } from '../src/data/readPoolLogEvents.js'
import { mergeSources } from '../src/engine/mergeSources.js'
import { CsvColumnMissingError, EventsOutOfOrderError, InvalidFieldError } from '../src/errors/input.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-backtest-bad-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const TICK_HEADER =
  'block_number,block_timestamp,tx_type,transaction_hash,pool_tx_index,pool_log_index,proxy_log_index,sender,receipt,amount0,amount1,total_liquidity,total_liquidity_delta,sqrtPriceX96,current_tick,position_id,tick_lower,tick_upper,liquidity'
const swapRow = (block: number, log: number, ts: string, sqrtPriceX96 = '1662995104975155420368771254341874') =>
  `${block},${ts},SWAP,0xabc,1,${log},,0x1,0x1,-22686110,10000000000000000,12453647101533358277,0,${sqrtPriceX96},199045.0,,,,`

function write(name: string, lines: string[]): string {
  const path = join(dir, name)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('bad input → typed errors naming file, row and field', () => {
  it('pool events out of log order in one block', async () => {
    const path = write('unsorted.tick.csv', [
      TICK_HEADER,
      swapRow(100, 7, '2024-01-05 00:00:01'),
      swapRow(100, 3, '2024-01-05 00:00:01'),
    ])
    const error = await errorOf(drain(readPoolLogEvents(path)))
    expect(error).toBeInstanceOf(EventsOutOfOrderError)
    expect(error).toMatchObject({
      file: 'unsorted.tick.csv',
      row: 3,
      field: 'pool_log_index',
      code: 'EVENTS_OUT_OF_ORDER',
    })
  })

  it('a missing column', async () => {
    const path = write('nocol.tick.csv', [TICK_HEADER.replace(',sqrtPriceX96', ''), '1'])
    const error = await errorOf(drain(readPoolLogEvents(path)))
    expect(error).toBeInstanceOf(CsvColumnMissingError)
    expect(error).toMatchObject({ file: 'nocol.tick.csv', field: 'sqrtPriceX96' })
  })

  it('a pool price of zero', async () => {
    const path = write('zero.tick.csv', [TICK_HEADER, swapRow(100, 1, '2024-01-05 00:00:01', '0')])
    const error = await errorOf(drain(readPoolLogEvents(path)))
    expect(error).toBeInstanceOf(InvalidFieldError)
    expect(error).toMatchObject({ file: 'zero.tick.csv', row: 2, field: 'sqrtPriceX96', value: '0' })
    expect((error as Error).message).toContain('zero.tick.csv row 2')
  })

  it('a kline close of zero and a kline with high below low', async () => {
    const header = 'open_time,open,high,low,close,volume'
    const zero = write('zero.klines.csv', [
      header,
      '1704412800000,2267.85,2269.39,2267.27,2268.56,1.0',
      '1704412860000,2268.56,2270.30,2268.06,0.00,1.0',
    ])
    expect(await errorOf(drain(readKlines(zero)))).toMatchObject({ name: 'InvalidFieldError', row: 3, field: 'close' })
    const inverted = write('inverted.klines.csv', [header, '1704412800000,2267.85,2260.00,2267.27,2268.56,1.0'])
    expect(await errorOf(drain(readKlines(inverted)))).toMatchObject({
      name: 'InvalidFieldError',
      row: 2,
      field: 'high',
    })
  })

  it('klines going back in time', async () => {
    const header = 'open_time,open,high,low,close,volume'
    const path = write('back.klines.csv', [header, '1704412860000,1,1,1,1,1', '1704412800000,1,1,1,1,1'])
    expect(await errorOf(drain(readKlines(path)))).toMatchObject({
      name: 'EventsOutOfOrderError',
      file: 'back.klines.csv',
      row: 3,
      field: 'open_time',
    })
  })

  it('mergeSources rejects a source that goes back in time, naming its file and row', async () => {
    async function* source() {
      yield { tsNs: 10n, file: 'a.csv', row: 2 }
      yield { tsNs: 5n, file: 'a.csv', row: 3 }
    }
    expect(await errorOf(drain(mergeSources([source()])))).toMatchObject({
      name: 'EventsOutOfOrderError',
      file: 'a.csv',
      row: 3,
      field: 'tsNs',
    })
  })
})

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadGasPriceSeries } from '../src/config/loadGasPriceSeries.js'
import { loadRunConfig } from '../src/config/loadRunConfig.js'
import type { RunConfig } from '../src/config/runConfig.js'
import { InvalidConfigError } from '../src/errors/config.js'
import { runBacktest } from '../src/strategy/runBacktest.js'
import { POLYGON_DAYS } from './src/dataPaths.js'

const CONFIG = new URL('../../../examples/two-venue-backtest/config.json', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'alp-backtest-gas-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A per-minute gas series for 2024-01-05 from `fromHour`, every sample `gwei`. */
function writeSeries(name: string, fromHour: number, gwei: string): string {
  const lines = ['block_timestamp,gas_price']
  for (let m = fromHour * 60; m < 1440; m++) {
    lines.push(
      `2024-01-05 ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00,${gwei}`,
    )
  }
  const path = join(dir, name)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

describe('gas price series', async () => {
  const base = await loadRunConfig(CONFIG)
  const withGas = (gas: RunConfig['models']['gas']): RunConfig => ({ ...base, models: { ...base.models, gas } })

  it('a flat 20 gwei series costs exactly what the 20 gwei constant costs', async () => {
    const constant = await runBacktest({ config: withGas({ kind: 'constant', gasPriceGwei: '20' }) })
    const series = await runBacktest({ config: withGas({ kind: 'series', file: writeSeries('flat.csv', 0, '20') }) })
    expect(series.summary.gasUsd).toBe(constant.summary.gasUsd)
    expect(series.summary.gasUsedTotal).toBe(constant.summary.gasUsedTotal)
    expect(series.models.gas).toBe('series flat.csv')
  })

  it('a series that starts after the first operation is a typed error naming the field', async () => {
    const late = withGas({ kind: 'series', file: writeSeries('late.csv', 12, '20') })
    await expect(runBacktest({ config: late })).rejects.toThrow(InvalidConfigError)
    await expect(runBacktest({ config: late })).rejects.toThrow(/models\.gas\.file/)
  })

  it('reads the Polygon gas series (every row, gwei → wei exactly)', async () => {
    const series = await loadGasPriceSeries(POLYGON_DAYS.gasPriceCsv)
    const lines = readFileSync(POLYGON_DAYS.gasPriceCsv, 'utf8').trim().split('\n')
    expect(series.tsNs.length).toBe(lines.length - 1)
    // Row 2: "2023-08-14 00:00:00,53.089213505000004" → 53.089213505 gwei (9 decimals kept) = 53089213505 wei.
    expect(series.gasPriceWei[0]).toBe(53_089_213_505n)
  })

  it('a config whose LP fee tier contradicts the pool is a typed error naming the field', async () => {
    const conflicting = { ...base, lp: { ...base.lp, seed: { ...base.lp.seed, FEE_TIER: 0.003 } } }
    await expect(runBacktest({ config: conflicting })).rejects.toThrow(/lp\.seed\.FEE_TIER/)
  })
})

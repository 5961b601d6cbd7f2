import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startDeribitFromArgs, startGrvtFromArgs } from '../src/startVenueFromArgs.js'

// `alp-venue-sim deribit|grvt|binance --klines <csv> --clock-start <time> --speed <x>`: the emulator runs on a replay
// clock whose time is the data's, so right after start-up the history holds every bar the clock has passed, equal to
// the CSV (read here on its own). Started one hour into 2024-01-05 at speed 1: bars 00:00 … 00:59 are complete.
const KLINES = fileURLToPath(
  new URL(
    '../../../data/binance-ethusdt-klines-2024-01-05/ETHUSDT-1m-2024-01-05.futures-um.reduced.csv',
    import.meta.url,
  ),
)
const BIN = fileURLToPath(new URL('../bin/alp-venue-sim.mjs', import.meta.url))
const rows = readFileSync(KLINES, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
const T0 = Number(rows[0]?.[0])
const firstHour = rows.slice(0, 60)
const CLOCK = ['--clock-start', '2024-01-05T01:00:00Z', '--speed', '1']

describe('alp-venue-sim paper market on a replay clock', () => {
  it('deribit --klines --clock-start: get_tradingview_chart_data answers the CSV’s first hour; the banner shares the clock', async () => {
    const started = await startDeribitFromArgs(
      ['--port', '0', '--instrument', 'ETH_USDC-PERPETUAL', '--tick-size', '0.01', '--klines', KLINES, ...CLOCK],
      { ALP_VENUE_SIM_DERIBIT_SECRET: 'paper-secret' },
    )
    try {
      expect(started.banner).toMatch(/--clock-start 1704416400000 --speed 1 --clock-wall-start \d+/)
      const wsUrl = /JSON-RPC\s+(\S+)/.exec(started.banner)?.[1] ?? ''
      const rest = wsUrl.replace('ws://', 'http://').replace('/ws/api/v2', '')
      const query = `instrument_name=ETH_USDC-PERPETUAL&resolution=1&start_timestamp=${T0}&end_timestamp=${T0 + 59 * 60_000}`
      const res = await fetch(`${rest}/api/v2/public/get_tradingview_chart_data?${query}`)
      const chart = ((await res.json()) as { result: Record<string, number[]> }).result
      expect([chart.ticks, chart.open, chart.high, chart.low, chart.close, chart.volume]).toEqual([
        firstHour.map((r) => Number(r[0])),
        ...[1, 2, 3, 4, 5].map((c) => firstHour.map((r) => Number(r[c]))),
      ])
    } finally {
      await started.close()
    }
  })

  it('grvt --klines --clock-start: kline answers the CSV’s first hour', async () => {
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // GRVT pysdk test key
    const started = await startGrvtFromArgs(['--port', '0', '--klines', KLINES, ...CLOCK], {
      ALP_VENUE_SIM_GRVT_SIGNER_KEY: key,
    })
    try {
      const rest = /REST\s+(\S+)/.exec(started.banner)?.[1] ?? ''
      const res = await fetch(`${rest}/full/v1/kline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          instrument: 'ETH_USDT_Perp',
          interval: 'CI_1_M',
          type: 'TRADE',
          start_time: String(BigInt(T0) * 1_000_000n),
          end_time: String(BigInt(T0 + 59 * 60_000) * 1_000_000n),
          limit: 100,
        }),
      })
      const candles = ((await res.json()) as { result: Array<Record<string, string>> }).result.reverse()
      expect(candles.map((c) => [c.open_time, c.open, c.high, c.low, c.close, c.volume_b])).toEqual(
        firstHour.map((r) => [String(BigInt(r[0] as string) * 1_000_000n), ...r.slice(1, 6)]),
      )
    } finally {
      await started.close()
    }
  })

  it('grvt --replay --clock-start --data-start: the capture plays from --data-start (its first print is at that time)', async () => {
    const capture = fileURLToPath(
      new URL('../../../data/binance-ethusdt-l2-2024-08-08/usdm_ethusdt_20240808.gz', import.meta.url),
    )
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // GRVT pysdk test key
    // the clock starts at 12:00:10, the capture's first line plays at 12:00:00: its first 10 s are already replayed
    const args = ['--port', '0', '--replay', capture, '--clock-start', '2024-01-05T12:00:10Z', '--speed', '1']
    const started = await startGrvtFromArgs([...args, '--data-start', '2024-01-05T12:00:00Z'], {
      ALP_VENUE_SIM_GRVT_SIGNER_KEY: key,
    })
    try {
      const rest = /REST\s+(\S+)/.exec(started.banner)?.[1] ?? ''
      const res = await fetch(`${rest}/full/v1/trade`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instrument: 'ETH_USDT_Perp', limit: 500 }),
      })
      const trades = ((await res.json()) as { result: Array<{ event_time: string }> }).result
      const times = trades.map((t) => Number(BigInt(t.event_time) / 1_000_000n))
      const noon = Date.UTC(2024, 0, 5, 12)
      expect(times.length).toBeGreaterThan(0)
      expect(Math.min(...times)).toBeGreaterThanOrEqual(noon)
      expect(Math.max(...times)).toBeLessThan(noon + 60_000)
    } finally {
      await started.close()
    }
  })

  it('binance --klines --clock-start: /fapi/v1/klines answers the CSV’s first hour', async () => {
    const child = spawn(process.execPath, [BIN, 'binance', '--port', '0', '--klines', KLINES, ...CLOCK], {
      env: { ...process.env, ALP_VENUE_SIM_API_SECRET: 'paper-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      const rest = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner within 30 s: ${out}`)), 30_000)
        child.stdout.on('data', (d) => {
          out += String(d)
          const url = /REST\s+(\S+)/.exec(out)?.[1]
          if (url && out.includes('Ctrl-C')) {
            clearTimeout(timer)
            resolve(url)
          }
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
      })
      expect(out).toMatch(/--clock-start 1704416400000 --speed 1 --clock-wall-start \d+/)
      const res = await fetch(`${rest}/fapi/v1/klines?symbol=ETHUSDT&interval=1m&startTime=${T0}&limit=60`)
      const klines = (await res.json()) as string[][]
      expect(klines.map((k) => k.slice(0, 6))).toEqual(firstHour.map((r) => [Number(r[0]), ...r.slice(1, 6)]))
    } finally {
      child.kill('SIGTERM')
    }
  }, 60_000)

  it('binance --funding-rate ETHUSDT=-0.0003: premiumIndex announces that rate for the next funding time', async () => {
    const child = spawn(process.execPath, [BIN, 'binance', '--port', '0', '--funding-rate', 'ETHUSDT=-0.0003'], {
      env: { ...process.env, ALP_VENUE_SIM_API_SECRET: 'paper-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      const rest = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner within 30 s: ${out}`)), 30_000)
        child.stdout.on('data', (d) => {
          out += String(d)
          const url = /REST\s+(\S+)/.exec(out)?.[1]
          if (url && out.includes('Ctrl-C')) {
            clearTimeout(timer)
            resolve(url)
          }
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
      })
      expect(out).toContain('Funding     ETHUSDT -0.0003 per 8 h')
      const res = await fetch(`${rest}/fapi/v1/premiumIndex?symbol=ETHUSDT`)
      const index = (await res.json()) as { lastFundingRate: string; nextFundingTime: number }
      expect(index.lastFundingRate).toBe('-0.00030000')
      expect(index.nextFundingTime % 28_800_000).toBe(0)
    } finally {
      child.kill('SIGTERM')
    }
  }, 60_000)
})

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DeploymentConfig } from '../src/config/loadConfig.js'
import { parseIni } from '../src/config/parseIni.js'
import { appendSplitEndpoints, parseWithBigints, stringifyWithBigints } from '../src/paper/paperSplit.js'

const dir = mkdtempSync(join(tmpdir(), 'alp-paper-ports-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('alp paper --split: the links of paper.ini', () => {
  it('every link of every owning role on its own loopback port below the ephemeral range, per-venue links per exchange', async () => {
    const file = join(dir, 'paper.ini')
    writeFileSync(file, '[trader]\nDATA_DIR = x\n')
    const role = (instance: string, kind: string) => ({ instance, role: kind })
    const config = {
      roles: [
        role('binance.quote-server', 'quote-server'),
        role('binance.trading-engine', 'trading-engine'),
        role('binance.position-server', 'position-server'),
        role('deribit.quote-server', 'quote-server'),
        role('deribit.trading-engine', 'trading-engine'),
        role('deribit.position-server', 'position-server'),
        role('trader', 'trader'),
        role('lp-manager', 'lp-manager'),
      ],
    } as unknown as DeploymentConfig
    const endpoints = await appendSplitEndpoints(file, config)
    const doc = parseIni(readFileSync(file, 'utf8'))
    expect(doc.problems).toEqual([])
    const keys = (section: string) =>
      (doc.sections.find((s) => s.name === section)?.entries ?? []).map((e) => e.key).sort()
    for (const exchange of ['binance', 'deribit']) {
      expect(keys(`${exchange}.quote-server.PUBLISHERS`)).toEqual(['MARKET_DATA'])
      expect(keys(`${exchange}.trading-engine.PUBLISHERS`)).toEqual(['COMMANDS', 'ORDER_EVENTS'])
      expect(keys(`${exchange}.position-server.PUBLISHERS`)).toEqual(['POSITIONS', 'POSITIONS_SNAPSHOT'])
    }
    expect(keys('trader.PUBLISHERS')).toEqual(['CONTROL', 'ORDER_UPDATES'])
    expect(keys('lp-manager.PUBLISHERS')).toEqual(['INVENTORY', 'LP_CONTROL'])
    const ports = doc.sections
      .filter((s) => s.name.endsWith('.PUBLISHERS'))
      .flatMap((s) => s.entries.map((e) => Number(/^tcp:\/\/127\.0\.0\.1:(\d+)$/.exec(e.value)?.[1])))
    expect(ports.length).toBe(14)
    expect(new Set(ports).size).toBe(14)
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000)
      expect(port).toBeLessThan(32_768)
    }
    // The run's own `cli` bus listens on the first exchange's links.
    expect(endpoints.marketData.connect).toBe(
      `tcp://127.0.0.1:${doc.sections.find((s) => s.name === 'binance.quote-server.PUBLISHERS')?.entries[0]?.value.split(':')[2]}`,
    )
  })

  it('hands bigints through the split files (strategy, records)', () => {
    const value = { a: 1n, b: [{ c: 2_000_000_000_000_000_000n }], d: 'x' }
    expect(parseWithBigints(stringifyWithBigints(value))).toEqual(value)
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventQueue } from './eventQueue.js'
import { mergeSources } from './mergeSources.js'

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  for (const x of xs) yield x
}

describe('mergeSources and EventQueue', () => {
  it('orders by time, then by source position, keeping the order within a source (hand example)', async () => {
    const pool = [
      { tsNs: 10n, file: 'pool', row: 2, id: 'swap log 5' },
      { tsNs: 10n, file: 'pool', row: 3, id: 'swap log 9' },
      { tsNs: 30n, file: 'pool', row: 4, id: 'mint' },
    ]
    const klines = [
      { tsNs: 10n, file: 'k', row: 2, id: 'kline 1' },
      { tsNs: 20n, file: 'k', row: 3, id: 'kline 2' },
    ]
    const out: string[] = []
    for await (const e of mergeSources([from(pool), from(klines)])) out.push(e.id)
    expect(out).toEqual(['swap log 5', 'swap log 9', 'kline 1', 'kline 2', 'mint'])
  })

  it('property: the merge is the stable sort of the concatenation by (tsNs, source)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 15 }), { minLength: 1, maxLength: 5 }),
        async (lists) => {
          const sources = lists.map((l, s) =>
            [...l].sort((a, b) => a - b).map((t, i) => ({ tsNs: BigInt(t), file: `s${s}`, row: i })),
          )
          const expected = sources
            .flat()
            .map((e) => ({ ...e, s: Number(e.file.slice(1)) }))
            .sort((a, b) => Number(a.tsNs - b.tsNs) || a.s - b.s || a.row - b.row)
            .map((e) => `${e.file}:${e.row}`)
          const out: string[] = []
          for await (const e of mergeSources(sources.map((s) => from(s)))) out.push(`${e.file}:${e.row}`)
          expect(out).toEqual(expected)
        },
      ),
      { numRuns: 100, seed: 42 },
    )
  })

  it('EventQueue pops equal timestamps in push order', () => {
    const q = new EventQueue<string>()
    q.push(5n, 'a')
    q.push(1n, 'b')
    q.push(5n, 'c')
    q.push(1n, 'd')
    expect([q.pop()?.value, q.pop()?.value, q.pop()?.value, q.pop()?.value, q.pop()]).toEqual([
      'b',
      'd',
      'a',
      'c',
      undefined,
    ])
  })
})

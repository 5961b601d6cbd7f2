import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventsOutOfOrderError } from '../errors/input.js'
import { mergeSourceBatches } from './mergeSourceBatches.js'

type E = { tsNs: bigint; file: string; row: number }

async function* chunked<T>(xs: readonly T[], sizes: readonly number[]): AsyncGenerator<T[]> {
  let at = 0
  for (let i = 0; at < xs.length; i++) {
    const size = sizes.length === 0 ? xs.length : (sizes[i % sizes.length] ?? 1)
    yield xs.slice(at, at + size) // a size of 0 yields an empty chunk, which must be skipped
    at += size
  }
}

async function collect(sources: AsyncIterable<readonly E[]>[]): Promise<string[]> {
  const out: string[] = []
  for await (const batch of mergeSourceBatches(sources)) for (const e of batch) out.push(`${e.file}:${e.row}`)
  return out
}

describe('mergeSourceBatches', () => {
  it('orders by time, then by source position, across chunk borders (hand example)', async () => {
    const pool = [
      { tsNs: 10n, file: 'pool', row: 2 },
      { tsNs: 10n, file: 'pool', row: 3 },
      { tsNs: 30n, file: 'pool', row: 4 },
    ]
    const klines = [
      { tsNs: 10n, file: 'k', row: 2 },
      { tsNs: 20n, file: 'k', row: 3 },
    ]
    expect(await collect([chunked(pool, [1]), chunked(klines, [2])])).toEqual([
      'pool:2',
      'pool:3',
      'k:2',
      'k:3',
      'pool:4',
    ])
  })

  it('property: the merge is the stable sort of the concatenation by (tsNs, source), for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            times: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 15 }),
            sizes: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }).filter((s) => s.some((x) => x > 0)),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (lists) => {
          const sources = lists.map(({ times }, s) =>
            [...times].sort((a, b) => a - b).map((t, i) => ({ tsNs: BigInt(t), file: `s${s}`, row: i })),
          )
          const expected = sources
            .flat()
            .map((e) => ({ ...e, s: Number(e.file.slice(1)) }))
            .sort((a, b) => Number(a.tsNs - b.tsNs) || a.s - b.s || a.row - b.row)
            .map((e) => `${e.file}:${e.row}`)
          expect(await collect(sources.map((s, i) => chunked(s, lists[i]!.sizes)))).toEqual(expected)
        },
      ),
      { numRuns: 200, seed: 7 },
    )
  })

  it('a source going back in time is an EventsOutOfOrderError naming its file and row', async () => {
    const bad = [
      { tsNs: 5n, file: 'pool.csv', row: 2 },
      { tsNs: 9n, file: 'pool.csv', row: 3 },
      { tsNs: 7n, file: 'pool.csv', row: 4 },
    ]
    const error = await collect([chunked(bad, [2])]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EventsOutOfOrderError)
    expect(error).toMatchObject({ file: 'pool.csv', row: 4, field: 'tsNs' })
  })
})

import { describe, expect, it } from 'vitest'
import * as module from './RecentTradeIds.js'

type Ids = { has(id: string): boolean; add(id: string): void; readonly size: number }
const RecentTradeIds = (module as unknown as { RecentTradeIds?: new (max: number, initial?: Iterable<string>) => Ids })
  .RecentTradeIds

describe('RecentTradeIds: the trader’s trade ids already journaled, per venue (skips fills recovered twice)', () => {
  it('stays bounded after many fills: the newest `max` ids are kept, the oldest forgotten first', () => {
    expect(typeof RecentTradeIds).toBe('function')
    const Ctor = RecentTradeIds as new (max: number, initial?: Iterable<string>) => Ids
    const ids = new Ctor(100)
    for (let i = 0; i < 10_000; i++) ids.add(`t${i}`)
    expect(ids.size).toBe(100)
    expect(ids.has('t9999')).toBe(true)
    expect(ids.has('t9900')).toBe(true)
    expect(ids.has('t9899')).toBe(false)
    expect(ids.has('t0')).toBe(false)
  })

  it('a repeated id counts once and becomes the newest; the journal’s ids seed it, newest last', () => {
    const Ctor = RecentTradeIds as new (max: number, initial?: Iterable<string>) => Ids
    const ids = new Ctor(3, ['a', 'b', 'c', 'd'])
    expect(ids.size).toBe(3)
    expect(ids.has('a')).toBe(false)
    ids.add('b') // b is now the newest: c goes first
    ids.add('e')
    expect(ids.has('c')).toBe(false)
    expect(ids.has('b') && ids.has('d') && ids.has('e')).toBe(true)
    expect(ids.size).toBe(3)
  })
})

/**
 * The newest trade ids of one venue, at most `max` of them, oldest forgotten first (insertion order; a repeated id
 * becomes the newest). The trader keeps one per venue to skip the fills it already journaled when it reads the venue's
 * fill history back (from the last journaled fill less a few seconds): only recent ids can come back, so its memory
 * stays bounded however many fills a long run makes, where a plain set grew with every fill of the process's life
 * (and was seeded with every fill of the journal).
 */
export class RecentTradeIds {
  readonly #max: number
  readonly #ids = new Set<string>()

  constructor(max: number, initial: Iterable<string> = []) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`RecentTradeIds: max must be a positive integer, got ${max}`)
    this.#max = max
    for (const id of initial) this.add(id)
  }

  get size(): number {
    return this.#ids.size
  }

  has(id: string): boolean {
    return this.#ids.has(id)
  }

  add(id: string): void {
    this.#ids.delete(id)
    this.#ids.add(id)
    if (this.#ids.size > this.#max) this.#ids.delete(this.#ids.values().next().value as string)
  }
}

import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'

/** The last fills and LP rebalances of the journal, newest first. */
export type DashboardJournal = {
  readonly fills: readonly {
    readonly tsMs: number
    readonly venue: string
    readonly side: string
    /** Venue grid units: price in quote, size in base (null when the venue's grid is not known here). */
    readonly price: number | null
    readonly sizeBase: number | null
    readonly feeQuote: string
    readonly clientOrderId: string
  }[]
  readonly rebalances: readonly {
    readonly tsMs: number
    readonly action: string
    readonly tickLower: number | null
    readonly tickUpper: number | null
    readonly txHash: string | null
    readonly reason: string | null
  }[]
}

export type JournalReader = {
  /** The newest `limit` fills and rebalances, or null while there is no journal file. */
  recent(limit: number): DashboardJournal | null
  close(): void
}

/** A venue's grid: journal fills are in ticks and lots. */
export type VenueGrid = { readonly tickSizePrice: number; readonly stepSizeBase: number }

/**
 * Reads the journal (`journal.sqlite`, WAL) of the running deployment through a second, read-only connection: the
 * writer is never blocked and nothing is written. Opened when the file exists; statements are prepared once.
 */
export function createJournalReader(path: string, grid: (venue: string) => VenueGrid | undefined): JournalReader {
  let db: Database.Database | null = null
  let fills: Database.Statement | null = null
  let rebalances: Database.Statement | null = null
  const open = (): boolean => {
    if (db !== null) return true
    if (!existsSync(path)) return false
    try {
      db = new Database(path, { readonly: true, fileMustExist: true })
      fills = db.prepare(
        'SELECT venue, side, price_ticks, size_lots, fee_quote, ts_ns, client_order_id FROM fills ORDER BY id DESC LIMIT ?',
      )
      rebalances = db.prepare(
        "SELECT ts_ns, action, tick_lower, tick_upper, tx_hash, detail FROM lp_actions WHERE action IN ('rebalance', 'mint', 'burn') ORDER BY id DESC LIMIT ?",
      )
      return true
    } catch {
      // Not a journal yet (being created): tried again on the next read.
      db?.close()
      db = null
      return false
    }
  }
  const nsToMs = (ns: string): number => Number(BigInt(ns) / 1_000_000n)
  return {
    recent(limit) {
      if (!open() || fills === null || rebalances === null) return null
      try {
        const fillRows = fills.all(limit) as {
          venue: string
          side: string
          price_ticks: number
          size_lots: number
          fee_quote: string
          ts_ns: string
          client_order_id: string
        }[]
        const lpRows = rebalances.all(limit) as {
          ts_ns: string
          action: string
          tick_lower: number | null
          tick_upper: number | null
          tx_hash: string | null
          detail: string | null
        }[]
        return {
          fills: fillRows.map((row) => {
            const g = grid(row.venue)
            return {
              tsMs: nsToMs(row.ts_ns),
              venue: row.venue,
              side: row.side,
              price: g === undefined ? null : row.price_ticks * g.tickSizePrice,
              sizeBase: g === undefined ? null : row.size_lots * g.stepSizeBase,
              feeQuote: row.fee_quote,
              clientOrderId: row.client_order_id,
            }
          }),
          rebalances: lpRows.map((row) => ({
            tsMs: nsToMs(row.ts_ns),
            action: row.action,
            tickLower: row.tick_lower,
            tickUpper: row.tick_upper,
            txHash: row.tx_hash,
            reason: reasonOf(row.detail),
          })),
        }
      } catch {
        // The schema is not there yet (a journal being created): nothing to show.
        return { fills: [], rebalances: [] }
      }
    },
    close() {
      db?.close()
      db = null
    },
  }
}

function reasonOf(detail: string | null): string | null {
  if (detail === null) return null
  try {
    const parsed = JSON.parse(detail) as { reason?: unknown }
    return typeof parsed.reason === 'string' ? parsed.reason : null
  } catch {
    return null
  }
}

import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  createHedger,
  decodeHedgerMessage,
  encodeHedgerMessage,
  type HedgerCommand,
  type HedgerConfigInput,
  type HedgerEvent,
  step,
} from '@alp/hedger'
import Database from 'better-sqlite3'
import { JournalError } from '../errors/journal.js'
import type { LpPnlMessage } from '../transport/topics.js'
import { decimalPercent, decimalSub, decimalSum } from './decimalSum.js'
import { JOURNAL_SCHEMA, JOURNAL_SCHEMA_VERSION } from './schema.js'

/** A fill as the journal keeps it. */
export type JournalFill = {
  readonly runId: string
  readonly venue: string
  readonly tradeId: string
  readonly clientOrderId: string
  readonly side: 'buy' | 'sell'
  readonly priceTicks: number
  readonly sizeLots: number
  readonly feeQuote: string
  readonly tsNs: bigint
  readonly venueTimeMs: number | null
}

/** One action of the LP manager (mint, burn, collect, rebalance, swap, …); raw token amounts as decimal strings. */
export type LpActionRecord = {
  readonly tsNs: bigint
  readonly action: string
  readonly txHash?: string | undefined
  readonly tokenId?: string | undefined
  readonly tickLower?: number | undefined
  readonly tickUpper?: number | undefined
  readonly amount0Raw?: string | undefined
  readonly amount1Raw?: string | undefined
  readonly fees0Raw?: string | undefined
  readonly fees1Raw?: string | undefined
  readonly gasCostWei?: string | undefined
  /** Anything else, as JSON. */
  readonly detail?: unknown
}

/** Portfolio valuation at one instant, USD decimal strings. */
export type PnlSnapshot = {
  readonly tsNs: bigint
  /** Value of everything held (LP position, wallet, CEX margin and positions). */
  readonly valueUsd: string
  /** Value the starting holdings would have now (the "hold" benchmark). */
  readonly holdValueUsd: string
  readonly lpFeesUsd: string
  readonly hedgePnlUsd: string
  /** CEX fees and gas paid so far. */
  readonly feesPaidUsd: string
  readonly netExposureBase: string
}

/** What `alp history` prints. */
export type HistorySummary = {
  readonly runs: number
  readonly fills: number
  readonly rebalances: number
  /** Sum of the fills' `feeQuote` (negative = rebates), quote units. */
  readonly cexFeesQuote: string
  /** Sum of the LP actions' gas, wei. */
  readonly gasCostWei: string
  readonly startValueUsd: string | null
  readonly endValueUsd: string | null
  readonly pnlUsd: string | null
  /** End value minus the hold value at the end. */
  readonly pnlVsHoldUsd: string | null
  readonly feesPaidUsd: string | null
  /** pnlUsd / startValueUsd × 100. */
  readonly returnPct: string | null
  /** The last snapshot's LP fees (collected + uncollected) and hedge PnL, USD. */
  readonly lpFeesUsd: string | null
  readonly hedgePnlUsd: string | null
  readonly pnlSnapshots: number
}

/** One journaled step: the input event and the commands the core answered with. */
export type JournalStep = {
  readonly step: number
  readonly event: HedgerEvent
  readonly commands: readonly HedgerCommand[]
}

/** The outcome of {@link Journal.replay}: identical when `mismatches` is empty. */
export type ReplayResult = {
  readonly steps: number
  readonly commands: number
  readonly mismatches: readonly {
    readonly step: number
    readonly journaled: readonly string[]
    readonly replayed: readonly string[]
  }[]
}

export type OpenJournalOptions = {
  /** Path of a better-sqlite3 native binding to load instead of the package's own (one per Node ABI). */
  readonly nativeBinding?: string | undefined
}

/**
 * The SQLite journal (better-sqlite3, WAL): runs, every input event and command of the hedger core (the typed messages
 * of @alp/hedger, encoded by its JSON codec: bigints as decimal strings), orders, fills, LP actions and PnL snapshots.
 * Writes are synchronous and each append is one transaction, so a SIGKILL loses at most the step being written.
 */
export class Journal {
  readonly path: string
  readonly #db: Database.Database
  readonly #stepCounters = new Map<string, number>()
  /**
   * Prepared statements, one per SQL text, kept for the journal's life. Besides saving the compile per call, no statement
   * becomes garbage while the journal is open: better-sqlite3 12 built against Node ≥ 24.19 headers aborts when a
   * Statement is finalized by a GC outside a JS context (nodejs/node#65446).
   */
  readonly #statements = new Map<string, Database.Statement>()

  constructor(path: string, options: OpenJournalOptions = {}) {
    this.path = path
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    try {
      this.#db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    } catch (cause) {
      throw new JournalError({ path, problem: 'cannot be opened', cause })
    }
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.pragma('foreign_keys = ON')
    const version = this.#db.pragma('user_version', { simple: true }) as number
    if (version > JOURNAL_SCHEMA_VERSION)
      throw new JournalError({
        path,
        problem: `schema version ${version} is newer than this build's ${JOURNAL_SCHEMA_VERSION}`,
      })
    this.#db.exec(JOURNAL_SCHEMA)
    this.#db.pragma(`user_version = ${JOURNAL_SCHEMA_VERSION}`)
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  /** The SQLite journal mode in force (`wal` for a file). */
  get journalMode(): string {
    return this.#db.pragma('journal_mode', { simple: true }) as string
  }

  /**
   * Starts a run and returns its id: the start time in base 36 (≤ 10 lowercase letters and digits, usable as the hedger's
   * `runTag` so client order ids never repeat across runs), bumped by 1 ms while an earlier run holds it.
   */
  startRun(parameters: {
    processName: string
    startedMs: number
    hedgerConfig?: HedgerConfigInput | undefined
  }): string {
    let ms = parameters.startedMs
    const exists = this.#prepare('SELECT 1 FROM runs WHERE run_id = ?')
    while (exists.get(ms.toString(36))) ms += 1
    const runId = ms.toString(36)
    this.#prepare(
      'INSERT INTO runs (run_id, process_name, started_ms, run_tag, hedger_config) VALUES (?, ?, ?, ?, ?)',
    ).run(
      runId,
      parameters.processName,
      parameters.startedMs,
      runId,
      parameters.hedgerConfig ? JSON.stringify(parameters.hedgerConfig) : null,
    )
    this.#stepCounters.set(runId, 0)
    return runId
  }

  endRun(runId: string, endedMs: number): void {
    this.#prepare('UPDATE runs SET ended_ms = ? WHERE run_id = ?').run(endedMs, runId)
  }

  /** Run ids, oldest first. */
  runs(): { runId: string; processName: string; startedMs: number; endedMs: number | null }[] {
    return (
      this.#prepare(
        'SELECT run_id, process_name, started_ms, ended_ms FROM runs ORDER BY started_ms, run_id',
      ).all() as {
        run_id: string
        process_name: string
        started_ms: number
        ended_ms: number | null
      }[]
    ).map((r) => ({ runId: r.run_id, processName: r.process_name, startedMs: r.started_ms, endedMs: r.ended_ms }))
  }

  /**
   * Appends one step of the hedger core in one transaction: the input event, the commands it produced, and what they
   * mean for the orders and fills tables (a fill already journaled, same venue and trade id, is not counted twice).
   * Returns the step number.
   */
  appendStep(runId: string, event: HedgerEvent, commands: readonly HedgerCommand[]): number {
    const run = this.#db.transaction(() => {
      const stepNo = this.#nextStep(runId)
      const insert = this.#prepare(
        'INSERT INTO messages (run_id, step, direction, type, venue, ts_ns, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      insert.run(runId, stepNo, 'event', event.type, venueOf(event), event.tsNs.toString(), encodeHedgerMessage(event))
      for (const command of commands)
        insert.run(
          runId,
          stepNo,
          'command',
          command.type,
          venueOf(command),
          command.tsNs.toString(),
          encodeHedgerMessage(command),
        )
      if (event.type === 'fill')
        this.#prepare(
          `INSERT OR IGNORE INTO fills (run_id, venue, trade_id, client_order_id, side, price_ticks, size_lots, fee_quote, ts_ns, venue_time_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          runId,
          event.venue,
          event.tradeId,
          event.clientOrderId,
          event.side,
          event.priceTicks,
          event.sizeLots,
          event.feeQuote,
          event.tsNs.toString(),
          event.venueTimeMs ?? null,
        )
      if (event.type === 'orderUpdate')
        this.#prepare(
          'UPDATE orders SET status = ?, filled_lots = ?, updated_ns = ? WHERE venue = ? AND client_order_id = ?',
        ).run(event.status, event.filledLots, event.tsNs.toString(), event.venue, event.clientOrderId)
      for (const command of commands) {
        if (command.type === 'placeOrder')
          this.#prepare(
            `INSERT OR IGNORE INTO orders (run_id, venue, client_order_id, side, price, size_base, placed_ns, status, updated_ns)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
          ).run(
            runId,
            command.venue,
            command.clientOrderId,
            command.side,
            command.price,
            command.sizeBase,
            command.tsNs.toString(),
            command.tsNs.toString(),
          )
        else if (command.type === 'amendOrder')
          this.#prepare(
            'UPDATE orders SET price = ?, size_base = ?, updated_ns = ? WHERE venue = ? AND client_order_id = ?',
          ).run(command.price, command.sizeBase, command.tsNs.toString(), command.venue, command.clientOrderId)
      }
      return stepNo
    })
    return run()
  }

  #nextStep(runId: string): number {
    let current = this.#stepCounters.get(runId)
    if (current === undefined) {
      const row = this.#prepare('SELECT MAX(step) AS s FROM messages WHERE run_id = ?').get(runId) as {
        s: number | null
      }
      current = row.s ?? 0
    }
    this.#stepCounters.set(runId, current + 1)
    return current + 1
  }

  appendLpAction(runId: string, action: LpActionRecord): void {
    this.#prepare(
      `INSERT INTO lp_actions (run_id, ts_ns, action, tx_hash, token_id, tick_lower, tick_upper, amount0_raw, amount1_raw, fees0_raw, fees1_raw, gas_cost_wei, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      action.tsNs.toString(),
      action.action,
      action.txHash ?? null,
      action.tokenId ?? null,
      action.tickLower ?? null,
      action.tickUpper ?? null,
      action.amount0Raw ?? null,
      action.amount1Raw ?? null,
      action.fees0Raw ?? null,
      action.fees1Raw ?? null,
      action.gasCostWei ?? null,
      action.detail === undefined
        ? null
        : JSON.stringify(action.detail, (_, value) => (typeof value === 'bigint' ? value.toString() : value)),
    )
  }

  /**
   * Appends the rows of one executed rebalance in one transaction, unless rows of `executionId` (their
   * `detail.executionId`) are journaled already (a snapshot replaying it, a restarted trader). Returns whether it wrote.
   */
  appendLpExecution(runId: string, executionId: string, records: readonly LpActionRecord[]): boolean {
    const run = this.#db.transaction(() => {
      if (this.hasLpExecution(executionId)) return false
      for (const record of records) this.appendLpAction(runId, record)
      return true
    })
    return run()
  }

  /** Whether rows of this executed rebalance (its plan id, `detail.executionId`) are journaled. */
  hasLpExecution(executionId: string): boolean {
    return (
      this.#prepare(`SELECT 1 FROM lp_actions WHERE json_extract(detail, '$.executionId') = ? LIMIT 1`).get(
        executionId,
      ) !== undefined
    )
  }

  appendPnlSnapshot(runId: string, snapshot: PnlSnapshot): void {
    this.#prepare(
      `INSERT INTO pnl_snapshots (run_id, ts_ns, value_usd, hold_value_usd, lp_fees_usd, hedge_pnl_usd, fees_paid_usd, net_exposure_base)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      snapshot.tsNs.toString(),
      snapshot.valueUsd,
      snapshot.holdValueUsd,
      snapshot.lpFeesUsd,
      snapshot.hedgePnlUsd,
      snapshot.feesPaidUsd,
      snapshot.netExposureBase,
    )
  }

  /**
   * Journals one `lp.pnl` message of the lp-manager (the LP side's holdings, prices, fees and gas at its `tsMs`), once
   * per source and instant: the same message again (a snapshot replaying it, a late join) is not kept twice.
   * Returns whether it wrote.
   */
  appendLpPnl(runId: string, message: LpPnlMessage): boolean {
    return (
      this.#prepare('INSERT OR IGNORE INTO lp_pnl (run_id, source, ts_ms, body) VALUES (?, ?, ?, ?)').run(
        runId,
        message.source,
        message.tsMs,
        JSON.stringify(message),
      ).changes > 0
    )
  }

  /** The journaled `lp.pnl` messages, oldest first (by their `tsMs`, then as written). */
  lpPnl(): (LpPnlMessage & { runId: string })[] {
    return (
      this.#prepare('SELECT run_id, body FROM lp_pnl ORDER BY ts_ms, id').all() as { run_id: string; body: string }[]
    ).map((r) => ({ ...(JSON.parse(r.body) as LpPnlMessage), runId: r.run_id }))
  }

  /**
   * The hedger core's journaled input events of some types (e.g. `trade`, `bbo`), every run, in journal order.
   */
  events(types: readonly HedgerEvent['type'][]): HedgerEvent[] {
    const placeholders = types.map(() => '?').join(', ')
    return (
      this.#prepare(
        `SELECT body FROM messages WHERE direction = 'event' AND type IN (${placeholders}) ORDER BY seq`,
      ).all(...types) as { body: string }[]
    ).map((r) => decodeHedgerMessage(r.body) as HedgerEvent)
  }

  /** The hedger config a run was started with (its journaled `hedgerConfig`), or null (not a trader run). */
  hedgerConfig(runId: string): HedgerConfigInput | null {
    const row = this.#prepare('SELECT hedger_config FROM runs WHERE run_id = ?').get(runId) as
      | { hedger_config: string | null }
      | undefined
    return row?.hedger_config == null ? null : (JSON.parse(row.hedger_config) as HedgerConfigInput)
  }

  /** Fills, oldest first, optionally of one venue and/or one run. */
  fills(filter: { venue?: string; runId?: string } = {}): JournalFill[] {
    const rows = this.#prepare(
      `SELECT * FROM fills WHERE (@venue IS NULL OR venue = @venue) AND (@runId IS NULL OR run_id = @runId) ORDER BY id`,
    ).all({ venue: filter.venue ?? null, runId: filter.runId ?? null }) as FillRow[]
    return rows.map(toFill)
  }

  /**
   * The last fill journaled for a venue (any run), or null: restart reconciliation asks the venue's history endpoints
   * for the fills after it (`venueTimeMs`, else `tsNs`).
   */
  lastFill(venue: string): JournalFill | null {
    const row = this.#prepare('SELECT * FROM fills WHERE venue = ? ORDER BY id DESC LIMIT 1').get(venue) as
      | FillRow
      | undefined
    return row ? toFill(row) : null
  }

  /** Orders by client id as journaled (status from the last order update). */
  orders(filter: { venue?: string; runId?: string } = {}): {
    venue: string
    clientOrderId: string
    side: string
    price: string
    sizeBase: string
    status: string
    filledLots: number
  }[] {
    return (
      this.#prepare(
        'SELECT * FROM orders WHERE (@venue IS NULL OR venue = @venue) AND (@runId IS NULL OR run_id = @runId) ORDER BY placed_ns, client_order_id',
      ).all({ venue: filter.venue ?? null, runId: filter.runId ?? null }) as {
        venue: string
        client_order_id: string
        side: string
        price: string
        size_base: string
        status: string
        filled_lots: number
      }[]
    ).map((r) => ({
      venue: r.venue,
      clientOrderId: r.client_order_id,
      side: r.side,
      price: r.price,
      sizeBase: r.size_base,
      status: r.status,
      filledLots: r.filled_lots,
    }))
  }

  /** LP actions, oldest first; `action` filters (e.g. `rebalance`). */
  lpActions(filter: { action?: string } = {}): (LpActionRecord & { runId: string })[] {
    const rows = this.#prepare('SELECT * FROM lp_actions WHERE (@action IS NULL OR action = @action) ORDER BY id').all({
      action: filter.action ?? null,
    }) as Record<string, string | number | null>[]
    return rows.map((r) => ({
      runId: String(r.run_id),
      tsNs: BigInt(r.ts_ns as string),
      action: String(r.action),
      txHash: (r.tx_hash as string | null) ?? undefined,
      tokenId: (r.token_id as string | null) ?? undefined,
      tickLower: (r.tick_lower as number | null) ?? undefined,
      tickUpper: (r.tick_upper as number | null) ?? undefined,
      amount0Raw: (r.amount0_raw as string | null) ?? undefined,
      amount1Raw: (r.amount1_raw as string | null) ?? undefined,
      fees0Raw: (r.fees0_raw as string | null) ?? undefined,
      fees1Raw: (r.fees1_raw as string | null) ?? undefined,
      gasCostWei: (r.gas_cost_wei as string | null) ?? undefined,
      detail: r.detail === null ? undefined : JSON.parse(String(r.detail)),
    }))
  }

  /** PnL snapshots, oldest first. */
  pnlSnapshots(): (PnlSnapshot & { runId: string })[] {
    return (this.#prepare('SELECT * FROM pnl_snapshots ORDER BY id').all() as Record<string, string>[]).map((r) => ({
      runId: r.run_id as string,
      tsNs: BigInt(r.ts_ns as string),
      valueUsd: r.value_usd as string,
      holdValueUsd: r.hold_value_usd as string,
      lpFeesUsd: r.lp_fees_usd as string,
      hedgePnlUsd: r.hedge_pnl_usd as string,
      feesPaidUsd: r.fees_paid_usd as string,
      netExposureBase: r.net_exposure_base as string,
    }))
  }

  /** The figures of `alp history`: counts, fees paid, PnL vs hold and return %, over every run of the journal. */
  history(): HistorySummary {
    const count = (sql: string) => (this.#prepare(sql).get() as { n: number }).n
    const fees = (this.#prepare('SELECT fee_quote FROM fills').all() as { fee_quote: string }[]).map((r) => r.fee_quote)
    const gas = (
      this.#prepare('SELECT gas_cost_wei FROM lp_actions WHERE gas_cost_wei IS NOT NULL').all() as {
        gas_cost_wei: string
      }[]
    ).map((r) => r.gas_cost_wei)
    const snapshots = this.pnlSnapshots()
    const first = snapshots[0]
    const last = snapshots.at(-1)
    const pnl = first && last ? decimalSub(last.valueUsd, first.valueUsd) : null
    return {
      runs: count('SELECT COUNT(*) AS n FROM runs'),
      fills: count('SELECT COUNT(*) AS n FROM fills'),
      rebalances: count(`SELECT COUNT(*) AS n FROM lp_actions WHERE action = 'rebalance'`),
      cexFeesQuote: decimalSum(fees),
      gasCostWei: decimalSum(gas),
      startValueUsd: first?.valueUsd ?? null,
      endValueUsd: last?.valueUsd ?? null,
      pnlUsd: pnl,
      pnlVsHoldUsd: last ? decimalSub(last.valueUsd, last.holdValueUsd) : null,
      feesPaidUsd: last?.feesPaidUsd ?? null,
      returnPct: pnl !== null && first ? decimalPercent(pnl, first.valueUsd) : null,
      lpFeesUsd: last?.lpFeesUsd ?? null,
      hedgePnlUsd: last?.hedgePnlUsd ?? null,
      pnlSnapshots: snapshots.length,
    }
  }

  /** The journaled steps of a run, in order, decoded back into hedger messages. */
  steps(runId: string): JournalStep[] {
    const rows = this.#prepare('SELECT step, direction, body FROM messages WHERE run_id = ? ORDER BY seq').all(
      runId,
    ) as { step: number; direction: string; body: string }[]
    const out: { step: number; event: HedgerEvent; commands: HedgerCommand[] }[] = []
    for (const row of rows) {
      const message = decodeHedgerMessage(row.body)
      if (row.direction === 'event') out.push({ step: row.step, event: message as HedgerEvent, commands: [] })
      else out.at(-1)?.commands.push(message as HedgerCommand)
    }
    return out
  }

  /**
   * Re-runs a run's journaled input events through a fresh hedger core (`createHedger` with the run's config and run
   * tag, then `step` per event) and compares the commands with the journaled ones, encoded, step by step.
   * @throws JournalError when the run is unknown or has no hedger config.
   */
  replay(runId: string): ReplayResult {
    const run = this.#prepare('SELECT run_tag, hedger_config FROM runs WHERE run_id = ?').get(runId) as
      | { run_tag: string; hedger_config: string | null }
      | undefined
    if (!run) throw new JournalError({ path: this.path, problem: `has no run ${runId}` })
    if (run.hedger_config === null)
      throw new JournalError({ path: this.path, problem: `run ${runId} has no hedger config (not a trader run)` })
    let state = createHedger(JSON.parse(run.hedger_config) as HedgerConfigInput, { runTag: run.run_tag })
    const mismatches: { step: number; journaled: string[]; replayed: string[] }[] = []
    let steps = 0
    let commands = 0
    for (const journaled of this.steps(runId)) {
      const result = step(state, journaled.event)
      state = result.state
      steps += 1
      commands += result.commands.length
      const expected = journaled.commands.map(encodeHedgerMessage)
      const actual = result.commands.map(encodeHedgerMessage)
      if (expected.length !== actual.length || expected.some((text, i) => text !== actual[i]))
        mismatches.push({ step: journaled.step, journaled: expected, replayed: actual })
    }
    return { steps, commands, mismatches }
  }

  close(): void {
    this.#db.close()
  }
}

type FillRow = {
  run_id: string
  venue: string
  trade_id: string
  client_order_id: string
  side: 'buy' | 'sell'
  price_ticks: number
  size_lots: number
  fee_quote: string
  ts_ns: string
  venue_time_ms: number | null
}

function toFill(row: FillRow): JournalFill {
  return {
    runId: row.run_id,
    venue: row.venue,
    tradeId: row.trade_id,
    clientOrderId: row.client_order_id,
    side: row.side,
    priceTicks: row.price_ticks,
    sizeLots: row.size_lots,
    feeQuote: row.fee_quote,
    tsNs: BigInt(row.ts_ns),
    venueTimeMs: row.venue_time_ms,
  }
}

function venueOf(message: HedgerEvent | HedgerCommand): string | null {
  return 'venue' in message && typeof message.venue === 'string' ? message.venue : null
}

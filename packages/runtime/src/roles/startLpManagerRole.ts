import type { InventoryUpdate, LpManagerSnapshot, LpRebalanceExecution } from '@alp/uniswap-lp'
import type { CommandServer, MessageBus } from '../transport/bus.js'
import type { Endpoints } from '../transport/portMap.js'
import type { LpActionMessage, LpPnlMessage, OrderUpdateMessage } from '../transport/topics.js'
import type { RoleErrorSink, RoleHandle } from './VenueLink.js'

/**
 * What the lp-manager role uses of the live LP manager (`createLpManager` of `@alp/uniswap-lp` satisfies it; so does a
 * bare `InventoryEventStream` for an observe-only source, without the range hint and the control).
 */
export type LpManagerLike = {
  on(event: 'inventory', listener: (update: InventoryUpdate) => void): unknown
  off(event: 'inventory', listener: (update: InventoryUpdate) => void): unknown
  /** The hedger's `suggestRange` half-width (widen-only hint). */
  setRangeHalfWidthBps?(halfWidthBps: number): void
  /** Starts stepping (`run({ intervalMs })` of the LP manager). */
  run?(options: { intervalMs: number }): unknown
  /** Stops stepping (finishes the step in flight). */
  stop?(): void | Promise<void>
  /** Everything the manager knows at its last block (ranges, holdings, uncollected fees, PnL): for `alp status`. */
  snapshot?(): LpManagerSnapshot
}

/** The live LP manager's `'executed'` event (an observe-only source has none). */
type ExecutedSource = {
  on(event: 'executed', listener: (execution: Omit<LpRebalanceExecution, 'result'>) => void): unknown
  off(event: 'executed', listener: (execution: Omit<LpRebalanceExecution, 'result'>) => void): unknown
}

export type StartLpManagerRoleParameters = {
  readonly bus: MessageBus
  readonly manager: LpManagerLike
  /** Links of `inventory`, `lpControl` and the trader's `orderUpdates`. */
  readonly endpoints: Endpoints
  readonly onError: RoleErrorSink
  /** Polling interval of the manager's steps, ms (when it has `run`). Default 2000. */
  readonly stepIntervalMs?: number | undefined
  readonly instance?: string | undefined
}

export type LpManagerRoleHandle = RoleHandle & {
  /** Range hints applied from the trader's `suggestRange` (the last one). */
  readonly lastRangeHalfWidthBps: number | null
  /** true between an operator kill and the next resume (the manager does not step). */
  readonly killed: boolean
  /** The same as a `kill` on `lpControl`: the manager stops stepping (the step in flight finishes). */
  kill(): Promise<void>
  /** The same as a `resume` on `lpControl`: the manager steps again. */
  resume(): void
  /** What `alp status` shows of the LP side. */
  status(): LpManagerRoleStatus
}

/** The lp-manager role as `alp status` shows it. */
export type LpManagerRoleStatus = {
  readonly instance: string
  readonly killed: boolean
  readonly lastRangeHalfWidthBps: number | null
  /** The last inventory update published (holdings of both tokens, their USD value, the deviation from target). */
  readonly inventory: InventoryUpdate | null
  /** The manager's own snapshot when it has one (the live LP manager), null otherwise or before its first block. */
  readonly manager: LpManagerSnapshot | null
  /** Why `manager` is null although the manager has snapshots (e.g. not started yet). */
  readonly managerError: string | null
}

/**
 * The lp-manager role: publishes the LP manager's inventory updates on the `inventory` topic (a state topic: the
 * trader gets the last update per source as a snapshot when it joins late), follows the trader's `orderUpdates` for
 * `suggestRange` (passed to `setRangeHalfWidthBps`), and takes operator kill / resume on the `lpControl` command server
 * (kill stops the manager's stepping, resume starts it again).
 */
export async function startLpManagerRole(parameters: StartLpManagerRoleParameters): Promise<LpManagerRoleHandle> {
  const { bus, manager, endpoints } = parameters
  const instance = parameters.instance ?? 'lp-manager'
  const report = (error: unknown): void => parameters.onError(error, { role: 'lp-manager' })
  const inventory = await bus.publisher('inventory', { endpoints, publisher: 'lp-manager' })
  let lastInventory: InventoryUpdate | null = null
  // Executed rebalances go out as `lp.action`, the manager's live PnL as `lp.pnl` (after every inventory update and
  // every rebalance): the trader journals both (LP actions, PnL snapshots).
  const publishPnl = (): void => {
    const message = lpPnlMessage(lastInventory, manager)
    if (message !== null) inventory.publish(message)
  }
  const published = new Set<string>()
  const onExecuted = (execution: Omit<LpRebalanceExecution, 'result'>): void => {
    // Only an execution (a wrapper may hand any listener its last inventory update when it subscribes).
    if (execution?.request === undefined || !Array.isArray(execution.minted) || published.has(execution.id)) return
    published.add(execution.id)
    try {
      inventory.publish(lpActionMessage(execution, lastInventory?.source ?? instance))
      publishPnl()
    } catch (error) {
      report(error)
    }
  }
  const onInventory = (update: InventoryUpdate): void => {
    lastInventory = update
    try {
      inventory.publish(update)
      publishPnl()
    } catch (error) {
      report(error)
    }
  }
  manager.on('inventory', onInventory)
  const executedSource = manager as unknown as ExecutedSource
  executedSource.on('executed', onExecuted)
  // A rebalance start() executed before this role subscribed (a wallet with no position mints at once).
  try {
    const startExecution = manager.snapshot?.().lastExecution
    if (startExecution != null) onExecuted(startExecution)
  } catch {
    // Not started yet (LP_MANAGER_NOT_STARTED): its executions will come as events.
  }
  let lastRangeHalfWidthBps: number | null = null
  let killed = false
  const intervalMs = parameters.stepIntervalMs ?? 2_000
  const startRun = (): void => {
    const running = manager.run?.({ intervalMs })
    if (running instanceof Promise) running.catch(report)
  }
  const onOrderUpdate = (message: OrderUpdateMessage | undefined): void => {
    if (message?.type !== 'suggestRange' || manager.setRangeHalfWidthBps === undefined) return
    try {
      manager.setRangeHalfWidthBps(message.halfWidthBps)
      lastRangeHalfWidthBps = message.halfWidthBps
    } catch (error) {
      report(error)
    }
  }
  const orderUpdates = await bus.subscriber('orderUpdates', { endpoints })
  // A snapshot (start, gap, a restarted trader) carries the last hint in its state rather than as a message.
  const onSnapshot = (state: ReadonlyMap<string, OrderUpdateMessage>): void => onOrderUpdate(state.get('suggestRange'))
  orderUpdates.on('message', onOrderUpdate).on('snapshot', onSnapshot)
  const kill = async (): Promise<void> => {
    if (killed) return
    killed = true
    await manager.stop?.()
  }
  const resume = (): void => {
    if (!killed) return
    killed = false
    startRun()
  }
  const control: CommandServer = await bus.commandServer(
    'lpControl',
    async (operator) => {
      if (operator.action === 'kill') await kill()
      else resume()
      return { ok: true }
    },
    { endpoints },
  )
  startRun()
  return {
    role: 'lp-manager',
    instance,
    get lastRangeHalfWidthBps() {
      return lastRangeHalfWidthBps
    },
    get killed() {
      return killed
    },
    kill,
    resume,
    status() {
      let snapshot: LpManagerSnapshot | null = null
      let managerError: string | null = null
      if (manager.snapshot !== undefined)
        try {
          snapshot = manager.snapshot()
        } catch (error) {
          // The live LP manager has no snapshot before its first block (LP_MANAGER_NOT_STARTED): shown, not hidden.
          managerError = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)
        }
      return { instance, killed, lastRangeHalfWidthBps, inventory: lastInventory, manager: snapshot, managerError }
    },
    async stop() {
      manager.off('inventory', onInventory)
      executedSource.off('executed', onExecuted)
      if (!killed) await manager.stop?.()
      await control.close()
      orderUpdates.off('message', onOrderUpdate).off('snapshot', onSnapshot)
      await orderUpdates.close()
      await inventory.close()
    },
  }
}

const str = (value: bigint | null): string | null => (value === null ? null : value.toString())

/** The `lp.action` message of one executed rebalance (bigints as decimal strings). */
export function lpActionMessage(execution: Omit<LpRebalanceExecution, 'result'>, source: string): LpActionMessage {
  return {
    type: 'lp.action',
    id: execution.id,
    source,
    tsMs: execution.tsMs,
    reason: execution.request.reason,
    decidedAtBlock: execution.decidedAtBlock,
    closed: execution.closed.map((c) => ({
      tokenId: c.tokenId.toString(),
      tickLower: c.tickLower,
      tickUpper: c.tickUpper,
      liquidity: str(c.liquidity),
      collected0Raw: str(c.collected0Raw),
      collected1Raw: str(c.collected1Raw),
      fees0Raw: str(c.fees0Raw),
      fees1Raw: str(c.fees1Raw),
      skipped: c.skipped,
      txHash: c.txHash,
      gasCostWei: str(c.gasCostWei),
    })),
    swap:
      execution.swap === null
        ? null
        : {
            amount0Raw: execution.swap.amount0Raw.toString(),
            amount1Raw: execution.swap.amount1Raw.toString(),
            txHash: execution.swap.txHash,
            gasCostWei: str(execution.swap.gasCostWei),
          },
    minted: execution.minted.map((m) => ({
      role: m.role,
      tokenId: m.tokenId.toString(),
      tickLower: m.tickLower,
      tickUpper: m.tickUpper,
      liquidity: m.liquidity.toString(),
      amount0Raw: m.amount0Raw.toString(),
      amount1Raw: m.amount1Raw.toString(),
      txHash: m.txHash,
      gasCostWei: str(m.gasCostWei),
    })),
    gasPaidWei: str(execution.gasPaidWei),
    expectedGainUsd: execution.request.expectedGainUsd,
    gasCostUsd: execution.request.gasCostUsd,
  }
}

/**
 * The `lp.pnl` message: the last inventory update's value and holdings with the manager's live PnL (`snapshot().pnl`,
 * the valuation the backtester uses). null before the first inventory update; a manager without snapshots (an
 * observe-only stream) reports zero fees and gas.
 */
export function lpPnlMessage(update: InventoryUpdate | null, manager: LpManagerLike): LpPnlMessage | null {
  if (update === null) return null
  let snapshot: LpManagerSnapshot | null = null
  try {
    snapshot = manager.snapshot?.() ?? null
  } catch {
    snapshot = null
  }
  const pnl = snapshot?.pnl ?? null
  return {
    type: 'lp.pnl',
    source: update.source,
    tsMs: update.tsMs,
    valueUsd: update.valueUsd,
    usdPrice0: update.usdPrice0,
    usdPrice1: update.usdPrice1,
    amount0Raw: update.token0.amountRaw,
    amount1Raw: update.token1.amountRaw,
    decimals0: update.token0.decimals,
    decimals1: update.token1.decimals,
    baseToken: update.baseToken,
    lpFeesUsd: pnl === null ? 0 : pnl.feesRealizedUsd + pnl.feesUnrealizedUsd,
    gasPaidWei: (snapshot?.gasPaidWei ?? 0n).toString(),
    gasUsd: pnl?.gasUsd ?? 0,
    lpPnlVsHoldUsd: pnl?.totalPnlUsd ?? 0,
  }
}

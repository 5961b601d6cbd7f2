import type { HedgerConfigInput } from '../../src/config/hedgerConfigSchema.js'
import { createHedger } from '../../src/core/createHedger.js'
import { type StepResult, step } from '../../src/core/step.js'
import type { HedgerState } from '../../src/core/types.js'
import type { HedgerCommand, PlaceOrderCommand } from '../../src/messages/commands.js'
import type { HedgerEvent } from '../../src/messages/events.js'

export const SEC_NS = 1_000_000_000n

/**
 * Two ETH venues (tick 0.01 USD, lot 0.001 ETH), GLFT with fixed A = 1/s and k = 2/USD, a volatility estimator that is
 * ready after 3 mids (no minimum history), η = 0.05 per order size, order size 0.1 ETH, max order 0.5 ETH.
 */
export function testConfig(overrides: Partial<HedgerConfigInput> = {}): HedgerConfigInput {
  return {
    venues: [
      {
        venue: 'binance',
        tickSize: '0.01',
        stepSize: '0.001',
        makerFeeBps: 2,
        maxOrderSizeBase: 0.5,
        rateLimitCapacity: 20,
      },
      {
        venue: 'deribit',
        tickSize: '0.05',
        stepSize: '0.001',
        makerFeeBps: 0,
        maxOrderSizeBase: 0.5,
        rateLimitCapacity: 20,
      },
    ],
    model: { type: 'GLFT', gammaPerPrice: 0.1, eta: 0.05 },
    calibration: {
      volatility: { halfLifeMs: 10_000, warmUpMs: 0, minIncrements: 2 },
      intensity: { mode: 'fixed', aPerSec: 1, kPerPrice: 2 },
    },
    hedge: { orderSizeBase: 0.1 },
    ...overrides,
  }
}

/** A driver that records every command. */
export type Driver = {
  state: HedgerState
  readonly log: HedgerCommand[]
  send(event: HedgerEvent): HedgerCommand[]
}

export function createDriver(config: HedgerConfigInput = testConfig()): Driver {
  const driver: Driver = {
    state: createHedger(config),
    log: [],
    send(event) {
      const result: StepResult = step(driver.state, event)
      driver.state = result.state
      driver.log.push(...result.commands)
      return result.commands
    },
  }
  return driver
}

/** BBO around a mid given in ticks (bid = mid − half, ask = mid + half). */
export function bbo(
  venue: string,
  tsNs: bigint,
  bidPriceTicks: number,
  askPriceTicks: number,
  sizeLots = 10_000,
): HedgerEvent {
  return { type: 'bbo', tsNs, venue, bidPriceTicks, bidSizeLots: sizeLots, askPriceTicks, askSizeLots: sizeLots }
}

/** Connects both venues and feeds three BBOs each (mid moves by a few ticks) so the volatility estimator is ready. */
export function warmUp(driver: Driver, startNs = 1n * SEC_NS): bigint {
  let t = startNs
  driver.send({ type: 'venueHealth', tsNs: t, venue: 'binance', status: 'connected' })
  driver.send({ type: 'venueHealth', tsNs: t, venue: 'deribit', status: 'connected' })
  const mids = [300_000, 300_040, 299_980, 300_000]
  for (const mid of mids) {
    t += SEC_NS
    driver.send(bbo('binance', t, mid - 1, mid + 1))
    driver.send(bbo('deribit', t, mid / 5 - 1, mid / 5 + 1))
  }
  return t
}

export function placesOf(commands: readonly HedgerCommand[]): PlaceOrderCommand[] {
  return commands.filter((command): command is PlaceOrderCommand => command.type === 'placeOrder')
}

/** Answers every place with `new`, every cancel/cancelAll with `canceled`, like a venue that accepts everything. */
export function confirmAll(driver: Driver, commands: readonly HedgerCommand[], tsNs: bigint): void {
  const queue = [...commands]
  while (queue.length > 0) {
    const command = queue.shift() as HedgerCommand
    const more: HedgerCommand[] = []
    if (command.type === 'placeOrder' || command.type === 'amendOrder')
      more.push(
        ...driver.send({
          type: 'orderUpdate',
          tsNs,
          venue: command.venue,
          clientOrderId: command.clientOrderId,
          side: command.side,
          priceTicks: command.priceTicks,
          sizeLots: command.sizeLots,
          filledLots: 0,
          status: 'new',
        }),
      )
    else if (command.type === 'cancelOrder') more.push(...cancelOne(driver, command.venue, command.clientOrderId, tsNs))
    else if (command.type === 'cancelAll') {
      const venue = driver.state.venueByName.get(command.venue)
      for (const id of [...(venue?.orders.keys() ?? [])]) more.push(...cancelOne(driver, command.venue, id, tsNs))
    }
    queue.push(...more)
  }
}

function cancelOne(driver: Driver, venueName: string, clientOrderId: string, tsNs: bigint): HedgerCommand[] {
  const order = driver.state.venueByName.get(venueName)?.orders.get(clientOrderId)
  if (order === undefined) return []
  return driver.send({
    type: 'orderUpdate',
    tsNs,
    venue: venueName,
    clientOrderId,
    side: order.side,
    priceTicks: order.priceTicks,
    sizeLots: order.sizeLots,
    filledLots: order.filledLots,
    status: 'canceled',
  })
}

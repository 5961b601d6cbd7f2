import { type LpInventoryEvent, systemRunnerClock } from '@alp/hedger'

/**
 * The test LP's `lpInventory` event at a pool price of 2 680: `heldBase` held against a target of 1.000 (e.g. '1.300':
 * 0.3 ETH long of its target, the trader's reducing side, a sell, carries it), stamped with the system clock.
 */
export function lpInventoryAt(heldBase: string): LpInventoryEvent {
  return {
    type: 'lpInventory',
    tsNs: systemRunnerClock.nowNs(),
    baseHeldBase: heldBase,
    baseTargetBase: '1.000',
    poolPrice: '2680.000000000000',
  }
}

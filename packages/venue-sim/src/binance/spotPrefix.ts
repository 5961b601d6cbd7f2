/** Spot instruments live in the same engine under this prefix (futures and spot books of ETHUSDT are different books). */
export const SPOT_PREFIX = 'spot:'

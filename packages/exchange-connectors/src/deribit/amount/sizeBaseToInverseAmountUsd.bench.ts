import ccxt from 'ccxt'
import { bench, describe } from 'vitest'
import { sizeBaseToInverseAmountUsd } from './sizeBaseToInverseAmountUsd.js'

// 1 000 order sizes (0.0002–0.9999 BTC, 4 decimals, all ≥ one 10 USD contract) at prices on the 0.5 grid around 60 000: the USD amount of each on
// BTC-PERPETUAL (contract 10 USD). Peer: ccxt 4.5.84's string decimal arithmetic (Precise), the same floor computed
// the way ccxt would, measured in the same run.
let state = 0x2545f491
const rand = () => {
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  return (state >>> 0) / 2 ** 32
}
const inputs = Array.from({ length: 1_000 }, () => ({
  sizeBase: (2 + Math.floor(rand() * 9_998))
    .toString()
    .padStart(5, '0')
    .replace(/^(\d)(\d{4})$/, '$1.$2'),
  price: String(55_000 + Math.floor(rand() * 20_000) / 2),
}))
const Precise = ccxt.Precise

describe('inverse USD amount of a base size (1 000 orders)', () => {
  bench('sizeBaseToInverseAmountUsd (bigint, exact)', () => {
    for (const { sizeBase, price } of inputs)
      sizeBaseToInverseAmountUsd({
        instrumentName: 'BTC-PERPETUAL',
        sizeBase,
        price,
        contractSizeUsd: '10',
        minTradeAmountUsd: '10',
      })
  })

  bench('ccxt Precise (string decimals)', () => {
    for (const { sizeBase, price } of inputs) {
      const contracts = Precise.stringDiv(Precise.stringMul(sizeBase, price), '10', 0)
      Precise.stringMul(contracts, '10')
    }
  })
})

import { basename } from 'node:path'
import { readGasPrices } from '../data/readGasPrices.js'
import type { GasPriceSeries } from './resolveModels.js'

/** Reads a whole gas price series (a few thousand rows) into sorted arrays for `resolveModels`. */
export async function loadGasPriceSeries(path: string): Promise<GasPriceSeries> {
  const tsNs: bigint[] = []
  const gasPriceWei: bigint[] = []
  for await (const sample of readGasPrices(path)) {
    tsNs.push(sample.tsNs)
    gasPriceWei.push(sample.gasPriceWei)
  }
  return { file: basename(path), tsNs, gasPriceWei }
}

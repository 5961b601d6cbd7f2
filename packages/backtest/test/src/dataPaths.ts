import { fileURLToPath } from 'node:url'

/** The repo's real data sets (data/*, each with PROVENANCE.md and a licence). */
const root = fileURLToPath(new URL('../../../../data/', import.meta.url))

export const MAINNET_DAY = {
  tickCsv: `${root}uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.tick.csv`,
  minuteCsv: `${root}uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.minute.csv`,
  relPriceCsv: `${root}uniswap-mainnet-2024-01-05/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05.rel-price.csv`,
  klinesCsv: `${root}binance-ethusdt-klines-2024-01-05/ETHUSDT-1m-2024-01-05.futures-um.reduced.csv`,
  /** rel-price.csv, row 00:00: the pool price at the start of the day. */
  openingSqrtPriceX96: 1662989727226084088942105379516512n,
} as const

export const POLYGON_DAYS = {
  gasPriceCsv: `${root}uniswap-polygon-2023-08/gas_price.csv`,
  minuteCsv: (day: string) =>
    `${root}uniswap-polygon-2023-08/polygon-0x45dda9cb7c25131df268515131f647d726f50608-2023-08-${day}.minute.csv`,
} as const

/** The second mainnet event day (no minute, rel-price or kline files). */
export const MAINNET_DAY_2 = {
  tickCsv: `${root}uniswap-mainnet-2023-11-10/ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2023-11-10.tick.csv`,
} as const

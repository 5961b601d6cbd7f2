/** One row of the published AS 2008 Tables 1–3. */
export type As2008PublishedRow = {
  /** γ of the table, per price unit. */
  gammaPerPrice: number
  strategy: 'inventory' | 'symmetric'
  /** Average bid/ask spread, price units. */
  averageSpread: number
  meanProfit: number
  stdProfit: number
  /** Mean final inventory q_T, order sizes. */
  meanFinalQ: number
  stdFinalQ: number
}

/**
 * Tables 1–3 of the published paper: Avellaneda, M. & Stoikov, S., "High-frequency trading in a limit order book",
 * Quantitative Finance 8(3), 217–224 (2008), pp. 222–223; γ = 0.1 (Table 1), 0.01 (Table 2), 1 (Table 3).
 * The values come from two independent public transcriptions that agree on every number (the paper's pp. 222–223):
 * the average spreads 1.49 / 1.35 / 3.02 equal γσ²T/2 + (2/γ)ln(1 + γ/k) = 1.4908 / 1.3489 / 3.0217, which supports them.
 * The 2006 preprint has different tables (γ = 0.5 instead of 1) and is not used here.
 */
export const AS2008_PUBLISHED_TABLES: {
  readonly source: string
  readonly rows: readonly As2008PublishedRow[]
} = {
  source:
    'Avellaneda & Stoikov, High-frequency trading in a limit order book, Quantitative Finance 8(3):217–224 (2008), Tables 1–3, pp. 222–223',
  rows: [
    {
      gammaPerPrice: 0.1,
      strategy: 'inventory',
      averageSpread: 1.49,
      meanProfit: 65.0,
      stdProfit: 6.6,
      meanFinalQ: 0.08,
      stdFinalQ: 2.9,
    },
    {
      gammaPerPrice: 0.1,
      strategy: 'symmetric',
      averageSpread: 1.49,
      meanProfit: 68.4,
      stdProfit: 12.7,
      meanFinalQ: 0.26,
      stdFinalQ: 8.4,
    },
    {
      gammaPerPrice: 0.01,
      strategy: 'inventory',
      averageSpread: 1.35,
      meanProfit: 68.6,
      stdProfit: 8.7,
      meanFinalQ: 0.12,
      stdFinalQ: 5.1,
    },
    {
      gammaPerPrice: 0.01,
      strategy: 'symmetric',
      averageSpread: 1.35,
      meanProfit: 68.8,
      stdProfit: 12.8,
      meanFinalQ: 0.09,
      stdFinalQ: 8.7,
    },
    {
      gammaPerPrice: 1,
      strategy: 'inventory',
      averageSpread: 3.02,
      meanProfit: 31.4,
      stdProfit: 5.0,
      meanFinalQ: 0.02,
      stdFinalQ: 1.7,
    },
    {
      gammaPerPrice: 1,
      strategy: 'symmetric',
      averageSpread: 3.02,
      meanProfit: 44.0,
      stdProfit: 11.0,
      meanFinalQ: 0.0,
      stdFinalQ: 5.1,
    },
  ],
}

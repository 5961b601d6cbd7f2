/** The three charts of the backtest report and the dashboard. */
export type ChartKind = 'price' | 'inventory' | 'pnl'

/** One line of a chart (uPlot series options). */
export type ChartSeriesDefinition = {
  readonly label: string
  readonly stroke: string
  readonly width?: number
  readonly dash?: readonly number[]
}

export type ChartDefinition = {
  readonly kind: ChartKind
  /** The chart's title: the unit of its y axis. */
  readonly title: string
  /** The lines, in the order of the data columns a chart of this kind takes. */
  readonly series: readonly ChartSeriesDefinition[]
  /** The y axis always reaches 0 (uPlot's default); false: it spans the data only (prices). */
  readonly yFromZero: boolean
}

/**
 * The charts, column by column:
 * - `price`: pool price, venue price, base range lower and upper bound, limit range lower and upper bound (quote per
 *   base; a bound is null while there is no such range);
 * - `inventory`: LP base held, hedge position, net exposure (base units);
 * - `pnl`: fees, impermanent loss, hedge PnL, gas (as a cost: ≤ 0), PnL vs hold (USD, cumulative).
 */
export const CHART_DEFINITIONS: { readonly [kind in ChartKind]: ChartDefinition } = {
  price: {
    kind: 'price',
    title: 'USD per ETH',
    yFromZero: false,
    series: [
      { label: 'pool price', stroke: '#1f77b4', width: 1.5 },
      { label: 'venue price', stroke: '#aaa', width: 1 },
      { label: 'base lower', stroke: '#2ca02c', dash: [4, 4] },
      { label: 'base upper', stroke: '#2ca02c', dash: [4, 4] },
      { label: 'limit lower', stroke: '#ff7f0e', dash: [2, 3] },
      { label: 'limit upper', stroke: '#ff7f0e', dash: [2, 3] },
    ],
  },
  inventory: {
    kind: 'inventory',
    title: 'base units (ETH)',
    yFromZero: true,
    series: [
      { label: 'LP base', stroke: '#1f77b4' },
      { label: 'hedge position', stroke: '#d62728' },
      { label: 'net exposure', stroke: '#9467bd', width: 2 },
    ],
  },
  pnl: {
    kind: 'pnl',
    title: 'USD, cumulative',
    yFromZero: true,
    series: [
      { label: 'fees', stroke: '#2ca02c' },
      { label: 'impermanent loss', stroke: '#d62728' },
      { label: 'hedge PnL', stroke: '#9467bd' },
      { label: 'gas', stroke: '#7f7f7f' },
      { label: 'PnL vs hold', stroke: '#000', width: 2 },
    ],
  },
}

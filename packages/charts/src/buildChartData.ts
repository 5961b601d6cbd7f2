import type { ChartDefinition } from './chartDefinitions.js'

/** One chart's data as uPlot takes it: x (UNIX seconds), then one column per line (null = no value there). */
export type ChartData = [number[], ...(number | null)[][]]

/**
 * The data of one chart: the sample times (UNIX ms) and one column per line of the chart, in the order of its
 * definition. Throws when a column is missing or its length differs from the times'.
 *
 * Self-contained on purpose: the browser-side script ({@link chartsBrowserScript}) embeds this very function.
 */
export function buildChartData(
  definition: ChartDefinition,
  tsMs: readonly number[],
  columns: readonly (readonly (number | null)[])[],
): ChartData {
  if (columns.length !== definition.series.length)
    throw new Error(`chart ${definition.kind}: ${columns.length} columns, expected ${definition.series.length}`)
  const data: ChartData = [tsMs.map((ms) => ms / 1000)]
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as readonly (number | null)[]
    if (column.length !== tsMs.length)
      throw new Error(
        `chart ${definition.kind}: column ${definition.series[i]?.label} has ${column.length} values for ${tsMs.length} times`,
      )
    data.push(column.map((value) => (typeof value === 'number' && Number.isFinite(value) ? value : null)))
  }
  return data
}

import type { ChartDefinition } from './chartDefinitions.js'

export type ChartSize = {
  /** CSS pixels. */
  readonly width: number
  /** CSS pixels; default 300. */
  readonly height?: number | undefined
}

/** uPlot options (a plain, JSON-safe object): pass to `new uPlot(options, data, element)`. */
export type ChartOptions = {
  readonly title: string
  readonly width: number
  readonly height: number
  readonly series: readonly object[]
  readonly scales: { readonly x: { readonly time: true }; readonly y?: { readonly range: object } }
}

/**
 * The uPlot options of one chart: its title, its lines (after uPlot's x series), a time x axis.
 *
 * Self-contained on purpose: the browser-side script ({@link chartsBrowserScript}) embeds this very function, so the
 * page and Node build the same options.
 */
export function buildChartOptions(definition: ChartDefinition, size: ChartSize): ChartOptions {
  const series: object[] = [{}]
  for (const line of definition.series) {
    const options: { label: string; stroke: string; width?: number; dash?: number[] } = {
      label: line.label,
      stroke: line.stroke,
    }
    if (line.width !== undefined) options.width = line.width
    if (line.dash !== undefined) options.dash = line.dash.slice()
    series.push(options)
  }
  // uPlot's range config: 10 % padding each side; mode 0 = no soft limit, so a price axis does not stretch to 0.
  const spanData = { pad: 0.1, soft: 0, mode: 0 }
  return {
    title: definition.title,
    width: size.width,
    height: size.height === undefined ? 300 : size.height,
    series,
    scales: definition.yFromZero
      ? { x: { time: true } }
      : { x: { time: true }, y: { range: { min: spanData, max: spanData } } },
  }
}

import { buildChartData } from './buildChartData.js'
import { buildChartOptions } from './buildChartOptions.js'
import { CHART_DEFINITIONS } from './chartDefinitions.js'

/**
 * The browser side of the charts, as script text to inline after uPlot ({@link loadChartAssets}). It defines
 * `window.AlpCharts`:
 * - `AlpCharts.definitions`: {@link CHART_DEFINITIONS};
 * - `AlpCharts.create(kind, element, tsMs, columns, { width, height?, maxPoints? })`: draws a chart of that kind into
 *   `element` and returns `{ plot, append(tsMs, values), length() }`. `append` adds one sample (one value per line,
 *   null for none) and redraws: the live dashboard calls it on every update; beyond `maxPoints` the oldest sample goes.
 *
 * The option and data builders in it are {@link buildChartOptions} and {@link buildChartData} themselves (their source),
 * so the report, the dashboard and Node code share one definition of each chart.
 */
export function chartsBrowserScript(): string {
  return `(function (root) {
  var definitions = ${JSON.stringify(CHART_DEFINITIONS)};
  var buildChartOptions = ${buildChartOptions.toString()};
  var buildChartData = ${buildChartData.toString()};
  function create(kind, element, tsMs, columns, size) {
    var definition = definitions[kind];
    if (!definition) throw new Error('AlpCharts: unknown chart ' + kind);
    var data = buildChartData(definition, tsMs, columns);
    var options = buildChartOptions(definition, size);
    // A flat price (every value equal) would get uPlot's magnitude padding (0 to 2× the price): pad by 0.1 % instead.
    if (!definition.yFromZero)
      options.scales.y = {
        range: function (u, min, max) {
          if (min === null || max === null) return [min, max];
          var pad = max > min ? (max - min) * 0.1 : Math.abs(max) * 0.001 || 1;
          return [min - pad, max + pad];
        }
      };
    var plot = new root.uPlot(options, data, element);
    var maxPoints = size && size.maxPoints > 0 ? size.maxPoints : Infinity;
    return {
      plot: plot,
      append: function (ms, values) {
        if (values.length !== definition.series.length)
          throw new Error('AlpCharts: ' + kind + ' takes ' + definition.series.length + ' values');
        data[0].push(ms / 1000);
        for (var i = 0; i < values.length; i++) {
          var v = values[i];
          data[i + 1].push(typeof v === 'number' && isFinite(v) ? v : null);
        }
        if (data[0].length > maxPoints) for (var j = 0; j < data.length; j++) data[j].shift();
        plot.setData(data);
      },
      length: function () { return data[0].length; }
    };
  }
  root.AlpCharts = { definitions: definitions, create: create };
})(typeof window !== 'undefined' ? window : globalThis);
`
}

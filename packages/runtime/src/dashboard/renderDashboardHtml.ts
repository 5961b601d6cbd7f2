import { chartsBrowserScript, loadChartAssets } from '@alp/charts'
import { DASHBOARD_CLIENT_SCRIPT } from './dashboardClientScript.js'

/**
 * The dashboard page: static HTML with the chart library (uPlot and `@alp/charts`, the backtest report's) and the
 * page script inlined, so it loads nothing else. It carries no data and no secret: everything comes over `/events`.
 */
export function renderDashboardHtml(): string {
  const assets = loadChartAssets()
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>alp dashboard</title>
<style>${assets.css}
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}
h1{font-size:18px;margin:0 8px 0 0;display:inline}h2{font-size:14px;margin:18px 0 6px}
header{display:flex;flex-wrap:wrap;align-items:center;gap:10px;margin-bottom:6px}
table{border-collapse:collapse;background:#fff}td,th{padding:2px 8px;border-bottom:1px solid #e3e3e3;text-align:left;white-space:nowrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:16px}
.ok{color:#1a7f37}.warn{color:#9a6700}.bad{color:#cf222e;font-weight:600}.buy{color:#1a7f37}.sell{color:#cf222e}
button{font:inherit;padding:3px 12px;cursor:pointer}#kill,#stop{border:1px solid #cf222e;color:#cf222e;background:#fff}
#control-result{margin-left:8px}#controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
ul{margin:0;padding-left:18px}.chart{background:#fff;margin-bottom:8px}
footer{color:#777;font-size:11px;margin-top:24px}
</style>
</head>
<body>
<header><h1>alp</h1><span id="state"></span><span id="process"></span><span id="stream-state" class="warn">connecting</span></header>
<div id="controls">
<button id="kill" type="button">Kill</button><button id="resume" type="button">Resume</button><button id="stop" type="button">Stop</button>
<form id="token-form"><input id="token-input" type="password" autocomplete="off" placeholder="control token" aria-label="control token"> <button type="submit">use token</button></form>
<span id="token-state"></span><span id="control-result" role="status"></span>
</div>
<h2>Venues: book top (ours included), reservation price, feed lag, warm-up</h2>
<table><thead><tr><th>venue</th><th>connected</th><th>quoting</th><th>bid</th><th>bid size</th><th>ask</th><th>ask size</th><th>reservation</th><th>opt. spread bps</th><th>position</th><th>market data age</th><th>calibration</th><th>hedge fills · PnL</th></tr></thead><tbody id="venues"></tbody></table>
<h2>Our working orders (distance from the reservation price)</h2>
<table><thead><tr><th>venue</th><th>side</th><th>price</th><th>size</th><th>filled</th><th>distance</th><th>age</th><th>state</th></tr></thead><tbody id="orders"></tbody></table>
<div class="grid">
<div><h2>Halts</h2><ul id="halts"></ul><h2>Recent errors</h2><ul id="errors"></ul></div>
<div><h2>LP and exposure</h2><table><tbody id="lp"></tbody></table></div>
<div><h2>PnL by part (USD)</h2><table><tbody id="pnl"></tbody></table></div>
</div>
<div id="charts">
<h2>LP range against the pool price</h2><div class="chart" id="chart-price"></div>
<h2>LP holdings, hedge position, net exposure</h2><div class="chart" id="chart-inventory"></div>
<h2>PnL by part and vs hold</h2><div class="chart" id="chart-pnl"></div>
</div>
<div class="grid">
<div><h2>Last fills (journal)</h2><table><thead><tr><th>UTC</th><th>venue</th><th>side</th><th>price</th><th>size</th><th>fee</th></tr></thead><tbody id="fills"></tbody></table></div>
<div><h2>Last rebalances (journal)</h2><table><thead><tr><th>UTC</th><th>action</th><th>ticks</th><th>reason / tx</th></tr></thead><tbody id="rebalances"></tbody></table></div>
</div>
<footer>Charts: ${assets.library} (MIT) with @alp/charts, inlined. Live over server-sent events from this process.</footer>
<script>${assets.js}</script>
<script>${chartsBrowserScript()}</script>
<script>${DASHBOARD_CLIENT_SCRIPT}</script>
</body>
</html>
`
}

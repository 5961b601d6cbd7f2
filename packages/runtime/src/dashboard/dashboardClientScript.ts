/**
 * The dashboard page's script (browser side, plain ES2017, no dependencies but `uPlot` and `AlpCharts` of
 * `@alp/charts`). It reads the server-sent event stream `/events` with `fetch` (so that, off loopback, it can send the
 * token as a header), renders each update, appends the chart points, and sends the controls (`POST /kill|/resume|/stop`)
 * after a confirmation dialog with the operator's token: taken from the URL fragment (`#token=…`, then removed from the
 * address bar) or typed in the page; held in this closure only (never stored, never sent anywhere but the controls).
 *
 * `window.alpDashboard` exposes the render counters (for tests and the benchmark): `renders`, `lastSeq`, `lags` (ms from
 * the server's send to the end of each render, the last 1000), `readyMs`.
 */
export const DASHBOARD_CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var token = null;
  var charts = null;
  var stats = { renders: 0, lastSeq: 0, lags: [], readyMs: null, streamState: 'connecting' };
  window.alpDashboard = stats;
  var $ = function (id) { return document.getElementById(id); };
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function fmt(value, digits) {
    if (value === null || value === undefined || value === '') return '—';
    var n = Number(value);
    return isFinite(n) ? n.toFixed(digits) : esc(value);
  }
  function cell(field, text, cls) {
    return '<td data-field="' + esc(field) + '"' + (cls ? ' class="' + cls + '"' : '') + '>' + text + '</td>';
  }
  function ms(value) {
    if (value === null || value === undefined) return '—';
    return value < 1000 ? Math.round(value) + ' ms' : (value / 1000).toFixed(1) + ' s';
  }
  function time(tsMs) { return new Date(tsMs).toISOString().slice(11, 19); }

  // The token: from the fragment (then removed from the address bar and history), or typed in the page.
  var match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    token = decodeURIComponent(match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  function showToken() {
    $('token-state').textContent = token ? 'token set (this tab only)' : 'no token: controls will be refused';
    $('token-state').className = token ? 'ok' : 'warn';
  }
  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = $('token-input').value.trim();
    token = value || null;
    $('token-input').value = '';
    showToken();
  });
  showToken();

  // Controls: confirmation, then the request with the token; the answer is what the venues confirmed.
  var questions = {
    kill: 'Kill: cancel every order of ours on every venue (the venues confirm) and stop the LP manager?',
    resume: 'Resume: release the kill switch and quote again?',
    stop: 'Stop the process: cancel every order (the venues confirm) and exit?'
  };
  function describe(action, code, body) {
    if (code === 401) return action + ' refused (401): the token is missing or wrong';
    if (!body) return action + ': HTTP ' + code;
    if (action === 'kill') {
      var venues = (body.venues || []).map(function (v) {
        return v.venue + (v.confirmed ? ': no open order (venue confirmed)' : ': ' + v.openOrders + ' open order(s), not confirmed');
      });
      var lp = (body.lp || []).map(function (l) { return l.instance + (l.killed === true ? ' stopped' : l.killed === null ? ' not reached' : ' running'); });
      return (body.ok ? 'killed' : 'kill not confirmed') + ' (' + (body.killed || '?') + ') · ' + venues.concat(lp).join(' · ');
    }
    if (action === 'resume') return body.ok ? 'resumed: quoting again' : 'resume refused: ' + (body.refused || body.error || code);
    return body.ok ? 'stopping: every order is cancelled and the process exits' : 'stop: ' + (body.error || code);
  }
  function control(action) {
    if (!window.confirm(questions[action])) {
      result(action, 0, action + ' cancelled');
      return;
    }
    if (!token) {
      var typed = window.prompt('Control token (the <DATA_DIR>/<PROCESS_NAME>.token file):');
      if (typed) { token = typed.trim(); showToken(); }
    }
    result(action, 0, action + ': sent, waiting for the venues…');
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    fetch('/' + action, { method: 'POST', headers: headers, body: JSON.stringify({ reason: 'dashboard ' + action }), cache: 'no-store' })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (body) { result(action, res.status, describe(action, res.status, body)); });
      })
      .catch(function (error) { result(action, -1, action + ' failed: ' + error.message); });
  }
  function result(action, code, text) {
    var box = $('control-result');
    box.textContent = text;
    box.setAttribute('data-action', action);
    box.setAttribute('data-http-status', String(code));
    box.className = code === 200 ? 'ok' : code === 0 ? '' : 'bad';
  }
  ['kill', 'resume', 'stop'].forEach(function (action) {
    $(action).addEventListener('click', function () { control(action); });
  });

  // Charts (@alp/charts): created from the history, then one point per update.
  function createCharts(samples) {
    var width = Math.max(320, Math.min(1200, $('charts').clientWidth - 8));
    var size = { width: width, height: 220, maxPoints: 900 };
    var ts = samples.map(function (s) { return s.tsMs; });
    function columns(key, n) {
      var out = [];
      for (var i = 0; i < n; i++) out.push(samples.map(function (s) { return s[key][i]; }));
      return out;
    }
    var defs = AlpCharts.definitions;
    charts = {
      price: AlpCharts.create('price', $('chart-price'), ts, columns('price', defs.price.series.length), size),
      inventory: AlpCharts.create('inventory', $('chart-inventory'), ts, columns('inventory', defs.inventory.series.length), size),
      pnl: AlpCharts.create('pnl', $('chart-pnl'), ts, columns('pnl', defs.pnl.series.length), size)
    };
  }

  function render(update) {
    var s = update.status;
    var killed = s.killed;
    $('state').innerHTML = killed
      ? '<span class="bad" data-field="killed">KILLED: ' + esc(killed.reason) + '</span> ' + esc(killed.detail || '')
      : '<span class="ok" data-field="killed">running</span>';
    $('process').innerHTML = 'process <b data-field="process.name">' + esc(s.process.name) + '</b> pid <span data-field="process.pid">' + s.process.pid +
      '</span> · up ' + ms(s.process.uptimeMs) + ' · run ' + esc(s.process.runId || '—') + ' · roles ' +
      esc(s.process.roles.map(function (r) { return r.role; }).join(', ')) + ' · status v' + s.version + ' at ' + time(s.nowMs);

    var venues = s.venues.map(function (v) {
      var r = v.model ? v.model.reservationPrice : null;
      var book = v.book || {};
      var row = '<tr data-venue="' + esc(v.venue) + '">' +
        cell('venue', esc(v.venue) + ' ' + esc(v.symbol || '')) +
        cell('connected', v.connected ? 'yes' : 'no', v.connected ? 'ok' : 'bad') +
        cell('quoting', esc(v.quoting), v.quoting === 'quoting' ? 'ok' : 'warn') +
        cell('book.bidPrice', esc(book.bidPrice || '—')) + cell('book.bidSize', esc(book.bidSize || '—')) +
        cell('book.askPrice', esc(book.askPrice || '—')) + cell('book.askSize', esc(book.askSize || '—')) +
        cell('model.reservationPrice', fmt(r, 2)) +
        cell('model.optimalSpreadBps', fmt(v.model ? v.model.optimalSpreadBps : null, 2)) +
        cell('positionBase', fmt(v.positionBase, 4)) +
        cell('market.ageMs', v.market ? ms(v.market.ageMs) : '—') +
        cell('warmUp', v.warmUp.ready ? 'ready' : 'warming up: ' + (v.warmUp.volatility.increments === null ? '' : v.warmUp.volatility.increments + '/' + v.warmUp.volatility.neededIncrements + ' increments, ') + esc(v.warmUp.intensity.status), v.warmUp.ready ? 'ok' : 'warn') +
        cell('hedge', v.hedge.fills + ' fills · ' + fmt(v.hedge.pnlQuote, 2)) +
        '</tr>';
      var orders = v.orders.map(function (o) {
        var d = r === null ? null : Number(o.price) - r;
        return '<tr data-order="' + esc(o.clientOrderId) + '">' + cell('venue', esc(v.venue)) + cell('side', esc(o.side), o.side === 'buy' ? 'buy' : 'sell') +
          cell('price', esc(o.price)) + cell('size', esc(o.size)) + cell('filled', esc(o.filled)) +
          cell('distance', d === null ? '—' : (d >= 0 ? '+' : '') + d.toFixed(2) + ' (' + (d / r * 10000).toFixed(1) + ' bps)') +
          cell('ageMs', ms(o.ageMs)) + cell('pending', o.unknown ? 'unknown' : esc(o.pending || 'live')) + '</tr>';
      }).join('');
      return { row: row, orders: orders };
    });
    $('venues').innerHTML = venues.map(function (v) { return v.row; }).join('') || '<tr><td colspan="13">no venue in this process</td></tr>';
    $('orders').innerHTML = venues.map(function (v) { return v.orders; }).join('') || '<tr><td colspan="8" data-field="no-orders">no working order</td></tr>';

    $('halts').innerHTML = s.halts.length === 0 ? '<li data-field="no-halts">none</li>' : s.halts.map(function (h) {
      return '<li data-field="halt"><b>' + esc(h.scope) + '</b>: ' + esc(h.reason) + (h.detail ? ' · ' + esc(h.detail) : '') + (h.sinceMs ? ' · since ' + time(h.sinceMs) : '') + '</li>';
    }).join('');

    var e = s.exposure;
    var lp = s.lp;
    var rows = [
      ['LP base held', 'lp.holdings.base', lp && lp.holdings ? esc(lp.holdings.base) : e && e.lpInventory ? esc(e.lpInventory.baseHeldBase) : '—'],
      ['LP quote held', 'lp.holdings.quote', lp && lp.holdings ? esc(lp.holdings.quote) : '—'],
      ['LP value (USD)', 'lp.holdings.valueUsd', lp && lp.holdings ? fmt(lp.holdings.valueUsd, 2) : '—'],
      ['pool price', 'exposure.lpInventory.poolPrice', e && e.lpInventory ? fmt(e.lpInventory.poolPrice, 2) : '—'],
      ['LP ranges', 'lp.ranges', lp && lp.ranges.length ? lp.ranges.map(function (r) { return esc(r.role) + ' [' + r.tickLower + ', ' + r.tickUpper + ')'; }).join(' · ') : '—'],
      ['uncollected fees', 'lp.uncollectedFees', lp && lp.uncollectedFees ? esc(lp.uncollectedFees.base) + ' base + ' + esc(lp.uncollectedFees.quote) + ' quote' : '—'],
      ['LP deviation (base)', 'exposure.lpDeviationBase', e ? fmt(e.lpDeviationBase, 4) : '—'],
      ['hedge position (base)', 'exposure.cexPositionBase', e ? fmt(e.cexPositionBase, 4) : '—'],
      ['net exposure (base)', 'exposure.netBase', e ? fmt(e.netBase, 4) : '—'],
      ['net exposure (USD)', 'exposure.netUsd', e ? fmt(e.netUsd, 2) : '—'],
      ['LP manager', 'lp.state', lp ? (lp.killed ? 'stopped (killed)' : 'stepping') + (lp.managerError ? ' · error: ' + esc(lp.managerError) : '') + (lp.lastBlock ? ' · block ' + lp.lastBlock : '') : '—']
    ];
    $('lp').innerHTML = rows.map(function (r) { return '<tr><th>' + r[0] + '</th>' + cell(r[1], r[2]) + '</tr>'; }).join('');

    var p = s.pnl;
    var parts = [
      ['LP fees', 'pnl.lpFeesUsd', p.lpFeesUsd], ['impermanent loss', 'pnl.impermanentLossUsd', p.impermanentLossUsd],
      ['hedge', 'pnl.hedgeUsd', p.hedgeUsd], ['gas', 'pnl.gasUsd', p.gasUsd === null ? null : -p.gasUsd],
      ['venue fees paid', 'pnl.feesPaidUsd', -p.feesPaidUsd], ['PnL vs hold (total)', 'pnl.totalUsd', p.totalUsd]
    ];
    $('pnl').innerHTML = parts.map(function (r) { return '<tr><th>' + r[0] + '</th>' + cell(r[1], fmt(r[2], 2)) + '</tr>'; }).join('');

    $('errors').innerHTML = s.recentErrors.length === 0 ? '<li>none (' + s.errorsTotal + ' in total)</li>' : s.recentErrors.slice(-10).reverse().map(function (x) {
      return '<li>' + esc(JSON.stringify(x)) + '</li>';
    }).join('');

    var j = update.journal;
    $('fills').innerHTML = !j || j.fills.length === 0 ? '<tr><td colspan="6">none</td></tr>' : j.fills.map(function (f) {
      return '<tr>' + cell('time', time(f.tsMs)) + cell('venue', esc(f.venue)) + cell('side', esc(f.side)) + cell('price', fmt(f.price, 2)) + cell('size', fmt(f.sizeBase, 4)) + cell('fee', esc(f.feeQuote)) + '</tr>';
    }).join('');
    $('rebalances').innerHTML = !j || j.rebalances.length === 0 ? '<tr><td colspan="4">none</td></tr>' : j.rebalances.map(function (r) {
      return '<tr>' + cell('time', time(r.tsMs)) + cell('action', esc(r.action)) + cell('ticks', r.tickLower === null ? '—' : '[' + r.tickLower + ', ' + r.tickUpper + ')') + cell('reason', esc(r.reason || r.txHash || '—')) + '</tr>';
    }).join('');

    if (charts) {
      charts.price.append(update.sample.tsMs, update.sample.price);
      charts.inventory.append(update.sample.tsMs, update.sample.inventory);
      charts.pnl.append(update.sample.tsMs, update.sample.pnl);
    }
    stats.renders++;
    stats.lastSeq = update.seq;
    stats.lags.push(Date.now() - update.sentMs);
    if (stats.lags.length > 1000) stats.lags.shift();
    document.body.setAttribute('data-seq', String(update.seq));
    if (stats.readyMs === null) {
      stats.readyMs = performance.now();
      document.body.setAttribute('data-dashboard-ready', '1');
    }
  }

  function handle(block) {
    var event = 'message';
    var data = '';
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) event = line.slice(6).trim();
      else if (line.indexOf('data:') === 0) data += line.slice(5).replace(/^ /, '');
    });
    if (!data) return;
    var payload = JSON.parse(data);
    if (event === 'history') {
      // The page's charts start with the recent past; the update that follows adds the point of now.
      var samples = payload.samples.slice(0, -1);
      if (!charts) createCharts(samples);
    } else if (event === 'update') render(payload);
  }

  function stream(state) {
    stats.streamState = state;
    $('stream-state').textContent = state;
    $('stream-state').className = state === 'live' ? 'ok' : 'warn';
  }
  function connect() {
    var headers = {};
    if (token) headers.authorization = 'Bearer ' + token;
    fetch('/events', { headers: headers, cache: 'no-store' }).then(function (res) {
      if (res.status === 401) {
        stream('refused (401): this interface needs the token to read');
        setTimeout(connect, 2000);
        return;
      }
      stream('live');
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error('stream ended');
          buffer += decoder.decode(chunk.value, { stream: true });
          var end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            var block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            handle(block);
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      stream('disconnected: reconnecting');
      setTimeout(connect, 1000);
    });
  }
  connect();
})();
`

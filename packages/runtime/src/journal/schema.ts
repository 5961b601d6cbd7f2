/**
 * The journal's tables (schema version 2: version 1 plus `lp_pnl`, the lp-manager's `lp.pnl` messages as the trader
 * received them). Bigint instants (`*_ns`) and amounts are TEXT (decimal strings).
 */
export const JOURNAL_SCHEMA_VERSION = 2

export const JOURNAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  process_name TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  run_tag TEXT NOT NULL,
  hedger_config TEXT
);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  step INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('event', 'command')),
  type TEXT NOT NULL,
  venue TEXT,
  ts_ns TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_run_step ON messages(run_id, step, seq);
CREATE TABLE IF NOT EXISTS orders (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  venue TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  side TEXT NOT NULL,
  price TEXT NOT NULL,
  size_base TEXT NOT NULL,
  placed_ns TEXT NOT NULL,
  status TEXT NOT NULL,
  filled_lots INTEGER NOT NULL DEFAULT 0,
  updated_ns TEXT NOT NULL,
  PRIMARY KEY (venue, client_order_id)
);
CREATE TABLE IF NOT EXISTS fills (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  venue TEXT NOT NULL,
  trade_id TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  side TEXT NOT NULL,
  price_ticks INTEGER NOT NULL,
  size_lots INTEGER NOT NULL,
  fee_quote TEXT NOT NULL,
  ts_ns TEXT NOT NULL,
  venue_time_ms INTEGER,
  UNIQUE (venue, trade_id)
);
CREATE TABLE IF NOT EXISTS lp_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  ts_ns TEXT NOT NULL,
  action TEXT NOT NULL,
  tx_hash TEXT,
  token_id TEXT,
  tick_lower INTEGER,
  tick_upper INTEGER,
  amount0_raw TEXT,
  amount1_raw TEXT,
  fees0_raw TEXT,
  fees1_raw TEXT,
  gas_cost_wei TEXT,
  detail TEXT
);
CREATE TABLE IF NOT EXISTS pnl_snapshots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  ts_ns TEXT NOT NULL,
  value_usd TEXT NOT NULL,
  hold_value_usd TEXT NOT NULL,
  lp_fees_usd TEXT NOT NULL,
  hedge_pnl_usd TEXT NOT NULL,
  fees_paid_usd TEXT NOT NULL,
  net_exposure_base TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lp_pnl (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  source TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (source, ts_ms)
);
`

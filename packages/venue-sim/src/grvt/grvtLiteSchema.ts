/**
 * GRVT's lite protocol renames every field of the full protocol to a short key, struct by struct (`order_id` → `oi`
 * in `Order`, while `s` is `signer` in `Signature` and `stream` in a feed). This is the one table the emulator's lite
 * layer translates with, in both directions.
 *
 * Source: GRVT's API specification (gravity-technologies/api-spec @eed18e5, `src/codegen/apispec.json`, the `lite_name`
 * of every field; the same names fill the "Lite" column of `artifacts/apidocs/*.md`), for the structs reachable from
 * the endpoints and streams the emulator serves. Fields marked `@grvt/client 1.7.0` are newer than that snapshot and
 * are named as in the official SDK's schema maps; `ApiAuthorizeBuilderRequest` is not in the snapshot either (same
 * source). `Error.status` → `s` is GRVT's documented "Lite Error Response" of REST calls (`{ri, c, m, s}`).
 *
 * Each entry maps a full field name to its lite name, or to `[lite name, struct]` when the value (or each element of
 * an array value) is itself a struct.
 */
export const GRVT_LITE_STRUCTS = {
  Ack: {
    ack: 'a',
  },
  AckResponse: {
    result: ['r', 'Ack'],
  },
  AggregatedAccountSummary: {
    main_account_id: 'ma',
    total_equity: 'te',
    spot_balances: ['sb', 'SpotBalance'],
    vault_investments: ['vi', 'VaultInvestment'],
    total_sub_account_balance: 'ts',
    total_sub_account_equity: 'ts1',
    total_vault_investments_balance: 'tv',
    total_sub_account_available_balance: 'ts2',
    total_usd_notional_invested: 'tu',
  },
  ApiAggregatedAccountSummaryResponse: {
    result: ['r', 'AggregatedAccountSummary'],
  },
  ApiAuthorizeBuilderRequest: {
    main_account_id: 'ma',
    builder_account_id: 'ba',
    max_futures_fee_rate: 'mf',
    max_spot_fee_rate: 'ms',
    signature: ['s', 'Signature'],
  },
  ApiAuthorizedBuilder: {
    builder_account_id: 'ba',
    max_futures_fee_rate: 'mf',
    max_spot_fee_rate: 'ms',
  },
  ApiCancelAllOrdersRequest: {
    sub_account_id: 'sa',
    kind: 'k',
    base: 'b',
    quote: 'q',
  },
  ApiCancelOnDisconnectRequest: {
    sub_account_id: 'sa',
    countdown_time: 'ct',
  },
  ApiCancelOrderRequest: {
    sub_account_id: 'sa',
    order_id: 'oi',
    client_order_id: 'co',
    time_to_live_ms: 'tt',
  },
  ApiCandlestickRequest: {
    instrument: 'i',
    interval: 'i1',
    type: 't',
    start_time: 'st',
    end_time: 'et',
    limit: 'l',
    cursor: 'c',
  },
  ApiCandlestickResponse: {
    result: ['r', 'Candlestick'],
    next: 'n',
  },
  ApiCreateOrderRequest: {
    order: ['o', 'Order'],
  },
  ApiCreateOrderResponse: {
    result: ['r', 'Order'],
  },
  ApiFillHistoryRequest: {
    sub_account_id: 'sa',
    kind: 'k',
    base: 'b',
    quote: 'q',
    start_time: 'st',
    end_time: 'et',
    limit: 'l',
    cursor: 'c',
    order_id: 'oi', // @grvt/client 1.7.0
  },
  ApiFillHistoryResponse: {
    result: ['r', 'Fill'],
    next: 'n',
  },
  ApiFundingRate: {
    instrument: 'i',
    funding_rate: 'fr',
    funding_time: 'ft',
    mark_price: 'mp',
    funding_rate_8_h_avg: 'fr1',
    funding_interval_hours: 'fi',
  },
  ApiFundingRateRequest: {
    instrument: 'i',
    start_time: 'st',
    end_time: 'et',
    limit: 'l',
    cursor: 'c',
    agg_type: 'at',
  },
  ApiFundingRateResponse: {
    result: ['r', 'ApiFundingRate'],
    next: 'n',
  },
  ApiGetAllInitialLeverageRequest: {
    sub_account_id: 'sa',
  },
  ApiGetAllInitialLeverageResponse: {
    results: ['r', 'InitialLeverageResult'],
  },
  ApiGetAllInstrumentsRequest: {
    is_active: 'ia',
  },
  ApiGetAllInstrumentsResponse: {
    result: ['r', 'InstrumentDisplay'],
  },
  ApiGetAuthorizedBuildersResponse: {
    results: ['r', 'ApiAuthorizedBuilder'],
  },
  ApiGetCurrencyRequest: {},
  ApiGetCurrencyResponse: {
    result: ['r', 'CurrencyDetail'],
  },
  ApiGetFilteredInstrumentsRequest: {
    kind: 'k',
    base: 'b',
    quote: 'q',
    is_active: 'ia',
    limit: 'l',
  },
  ApiGetFilteredInstrumentsResponse: {
    result: ['r', 'InstrumentDisplay'],
  },
  ApiGetInstrumentRequest: {
    instrument: 'i',
  },
  ApiGetInstrumentResponse: {
    result: ['r', 'InstrumentDisplay'],
  },
  ApiGetOrderRequest: {
    sub_account_id: 'sa',
    order_id: 'oi',
    client_order_id: 'co',
  },
  ApiGetOrderResponse: {
    result: ['r', 'Order'],
  },
  ApiGetSubAccountsResponse: {
    sub_account_ids: 'sa',
  },
  ApiMiniTickerRequest: {
    instrument: 'i',
  },
  ApiMiniTickerResponse: {
    result: ['r', 'MiniTicker'],
  },
  ApiOpenOrdersRequest: {
    sub_account_id: 'sa',
    kind: 'k',
    base: 'b',
    quote: 'q',
  },
  ApiOpenOrdersResponse: {
    result: ['r', 'Order'],
  },
  ApiOrderHistoryRequest: {
    sub_account_id: 'sa',
    kind: 'k',
    base: 'b',
    quote: 'q',
    start_time: 'st',
    end_time: 'et',
    limit: 'l',
    cursor: 'c',
  },
  ApiOrderHistoryResponse: {
    result: ['r', 'Order'],
    next: 'n',
  },
  ApiOrderbookLevelsRequest: {
    instrument: 'i',
    depth: 'd',
  },
  ApiOrderbookLevelsResponse: {
    result: ['r', 'OrderbookLevels'],
  },
  ApiPositionsRequest: {
    sub_account_id: 'sa',
    kind: 'k',
    base: 'b',
    quote: 'q',
  },
  ApiPositionsResponse: {
    result: ['r', 'Positions'],
  },
  ApiSetInitialLeverageRequest: {
    sub_account_id: 'sa',
    instrument: 'i',
    leverage: 'l',
  },
  ApiSetInitialLeverageResponse: {
    success: 's',
  },
  ApiSubAccountSummaryRequest: {
    sub_account_id: 'sa',
  },
  ApiSubAccountSummaryResponse: {
    result: ['r', 'SubAccount'],
  },
  ApiTickerRequest: {
    instrument: 'i',
  },
  ApiTickerResponse: {
    result: ['r', 'Ticker'],
  },
  ApiTradeHistoryRequest: {
    instrument: 'i',
    start_time: 'st',
    end_time: 'et',
    limit: 'l',
    cursor: 'c',
  },
  ApiTradeHistoryResponse: {
    result: ['r', 'Trade'],
    next: 'n',
  },
  ApiTradeRequest: {
    instrument: 'i',
    limit: 'l',
  },
  ApiTradeResponse: {
    result: ['r', 'Trade'],
  },
  Candlestick: {
    open_time: 'ot',
    close_time: 'ct',
    open: 'o',
    close: 'c',
    high: 'h',
    low: 'l',
    volume_b: 'vb',
    volume_q: 'vq',
    trades: 't',
    instrument: 'i',
  },
  CurrencyDetail: {
    id: 'i',
    symbol: 's',
    balance_decimals: 'bd',
    quantity_multiplier: 'qm',
  },
  EmptyRequest: {},
  Error: {
    code: 'c',
    message: 'm',
    // REST and legacy WebSocket errors ("Lite Error Response": {ri, c, m, s})
    status: 's',
    request_id: 'ri',
  },
  Fill: {
    event_time: 'et',
    sub_account_id: 'sa',
    instrument: 'i',
    is_buyer: 'ib',
    is_taker: 'it',
    size: 's',
    price: 'p',
    mark_price: 'mp',
    index_price: 'ip',
    interest_rate: 'ir',
    forward_price: 'fp',
    realized_pnl: 'rp',
    fee: 'f',
    fee_rate: 'fr',
    trade_id: 'ti',
    order_id: 'oi',
    venue: 'v',
    is_liquidation: 'il',
    client_order_id: 'co',
    signer: 's1',
    broker: 'b',
    is_rpi: 'ir1',
    builder: 'b1',
    builder_fee_rate: 'bf',
    builder_fee: 'bf1',
    fee_currency: 'fc',
    trade_index: 'ti1', // @grvt/client 1.7.0
    source: 's2', // @grvt/client 1.7.0
  },
  InitialLeverageResult: {
    instrument: 'i',
    leverage: 'l',
    min_leverage: 'ml',
    max_leverage: 'ml1',
    margin_type: 'mt',
  },
  InstrumentDisplay: {
    instrument: 'i',
    instrument_hash: 'ih',
    base: 'b',
    quote: 'q',
    kind: 'k',
    venues: 'v',
    settlement_period: 'sp1',
    base_decimals: 'bd',
    quote_decimals: 'qd',
    tick_size: 'ts',
    min_size: 'ms',
    create_time: 'ct',
    max_position_size: 'mp',
    funding_interval_hours: 'fi',
    adjusted_funding_rate_cap: 'af',
    adjusted_funding_rate_floor: 'af1',
    min_notional: 'mn',
    expiry: 'e', // @grvt/client 1.7.0
    strike_price: 'sp', // @grvt/client 1.7.0
    min_block_trade_size: 'mb', // @grvt/client 1.7.0
    funding_methodology_version: 'fm', // @grvt/client 1.7.0
  },
  JSONRPCRequest: {
    jsonrpc: 'j',
    method: 'm',
    params: 'p',
    id: 'i',
  },
  JSONRPCResponse: {
    jsonrpc: 'j',
    result: 'r',
    error: ['e', 'Error'],
    id: 'i',
    method: 'm',
  },
  MiniTicker: {
    event_time: 'et',
    instrument: 'i',
    mark_price: 'mp',
    index_price: 'ip',
    last_price: 'lp',
    last_size: 'ls',
    mid_price: 'mp1',
    best_bid_price: 'bb',
    best_bid_size: 'bb1',
    best_ask_price: 'ba',
    best_ask_size: 'ba1',
  },
  Order: {
    order_id: 'oi',
    sub_account_id: 'sa',
    is_market: 'im',
    time_in_force: 'ti',
    post_only: 'po',
    reduce_only: 'ro',
    legs: ['l', 'OrderLeg'],
    signature: ['s', 'Signature'],
    metadata: ['m', 'OrderMetadata'],
    state: ['s1', 'OrderState'],
    builder: 'b',
    builder_fee: 'bf',
    is_liquidation: 'il', // @grvt/client 1.7.0
    is_derisk: 'id', // @grvt/client 1.7.0
    is_spot_dedust: 'is', // @grvt/client 1.7.0
  },
  OrderLeg: {
    instrument: 'i',
    size: 's',
    limit_price: 'lp',
    is_buying_asset: 'ib',
  },
  OrderMetadata: {
    client_order_id: 'co',
    create_time: 'ct',
    trigger: ['t', 'TriggerOrderMetadata'],
    broker: 'b',
    source: 's', // @grvt/client 1.7.0
    is_ecn: 'ie', // @grvt/client 1.7.0
    is_position_transfer: 'ip', // @grvt/client 1.7.0
    allow_crossing: 'ac', // @grvt/client 1.7.0
  },
  OrderState: {
    status: 's',
    reject_reason: 'rr',
    book_size: 'bs',
    traded_size: 'ts',
    update_time: 'ut',
    avg_fill_price: 'af',
  },
  OrderbookLevel: {
    price: 'p',
    size: 's',
    num_orders: 'no',
  },
  OrderbookLevels: {
    event_time: 'et',
    instrument: 'i',
    bids: ['b', 'OrderbookLevel'],
    asks: ['a', 'OrderbookLevel'],
  },
  Positions: {
    event_time: 'et',
    sub_account_id: 'sa',
    instrument: 'i',
    size: 's',
    notional: 'n',
    entry_price: 'ep',
    exit_price: 'ep1',
    mark_price: 'mp',
    unrealized_pnl: 'up',
    realized_pnl: 'rp',
    total_pnl: 'tp',
    roi: 'r',
    quote_index_price: 'qi',
    est_liquidation_price: 'el',
    leverage: 'l',
    cumulative_fee: 'cf',
    cumulative_realized_funding_payment: 'cr',
    margin_type: 'mt',
    isolated_balance: 'ib',
    isolated_im: 'ii',
    isolated_mm: 'im',
  },
  Signature: {
    signer: 's',
    r: 'r',
    s: 's1',
    v: 'v',
    expiration: 'e',
    nonce: 'n',
    chain_id: 'ci',
  },
  SpotBalance: {
    currency: 'c',
    balance: 'b',
    index_price: 'ip',
    entry_price: 'ep',
    realized_pnl: 'rp',
    unrealized_pnl: 'up',
    available_to_transfer: 'at',
  },
  SubAccount: {
    event_time: 'et',
    sub_account_id: 'sa',
    margin_type: 'mt',
    settle_currency: 'sc',
    unrealized_pnl: 'up',
    total_equity: 'te',
    initial_margin: 'im',
    maintenance_margin: 'mm',
    available_balance: 'ab',
    spot_balances: ['sb', 'SpotBalance'],
    positions: ['p', 'Positions'],
    settle_index_price: 'si',
    is_vault: 'iv',
    vault_im_additions: 'vi',
    derisk_margin: 'dm',
    derisk_to_maintenance_margin_ratio: 'dt',
    total_cross_equity: 'tc',
    cross_unrealized_pnl: 'cu',
    sub_account_mode: 'sa1',
    margin_balance: 'mb',
  },
  TPSLOrderMetadata: {
    trigger_by: 'tb',
    trigger_price: 'tp',
    close_position: 'cp',
    is_split_position: 'is',
  },
  Ticker: {
    event_time: 'et',
    instrument: 'i',
    mark_price: 'mp',
    index_price: 'ip',
    last_price: 'lp',
    last_size: 'ls',
    mid_price: 'mp1',
    best_bid_price: 'bb',
    best_bid_size: 'bb1',
    best_ask_price: 'ba',
    best_ask_size: 'ba1',
    funding_rate_8h_curr: 'fr',
    funding_rate_8h_avg: 'fr1',
    interest_rate: 'ir',
    forward_price: 'fp',
    buy_volume_24h_b: 'bv',
    sell_volume_24h_b: 'sv',
    buy_volume_24h_q: 'bv1',
    sell_volume_24h_q: 'sv1',
    high_price: 'hp',
    low_price: 'lp1',
    open_price: 'op',
    open_interest: 'oi',
    long_short_ratio: 'ls1',
    funding_rate: 'fr2',
    next_funding_time: 'nf',
    funding_interval_hours: 'fi', // @grvt/client 1.7.0
  },
  Trade: {
    event_time: 'et',
    instrument: 'i',
    is_taker_buyer: 'it',
    size: 's',
    price: 'p',
    mark_price: 'mp',
    index_price: 'ip',
    interest_rate: 'ir',
    forward_price: 'fp',
    trade_id: 'ti',
    venue: 'v',
    is_rpi: 'ir1',
    is_liquidation: 'il', // @grvt/client 1.7.0
    trade_index: 'ti1', // @grvt/client 1.7.0
    is_spot_dedust: 'is', // @grvt/client 1.7.0
  },
  TriggerOrderMetadata: {
    trigger_type: 'tt',
    tpsl: ['t', 'TPSLOrderMetadata'],
  },
  VaultInvestment: {
    vault_id: 'vi',
    num_lp_tokens: 'nl',
    share_price: 'sp',
    usd_notional_invested: 'un',
  },
  WSFillFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'Fill'],
    prev_sequence_number: 'ps',
  },
  WSFillFeedSelectorV1: {
    sub_account_id: 'sa',
    instrument: 'i',
  },
  WSCandlestickFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'Candlestick'],
    prev_sequence_number: 'ps',
  },
  WSMiniTickerFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'MiniTicker'],
    prev_sequence_number: 'ps',
  },
  WSMiniTickerFeedSelectorV1: {
    instrument: 'i',
    rate: 'r',
  },
  WSOrderFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'Order'],
    prev_sequence_number: 'ps',
  },
  WSOrderFeedSelectorV1: {
    sub_account_id: 'sa',
    instrument: 'i',
  },
  WSOrderbookLevelsFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'OrderbookLevels'],
    prev_sequence_number: 'ps',
  },
  WSOrderbookLevelsFeedSelectorV1: {
    instrument: 'i',
    rate: 'r',
    depth: 'd',
  },
  WSPositionsFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'Positions'],
    prev_sequence_number: 'ps',
  },
  WSPositionsFeedSelectorV1: {
    sub_account_id: 'sa',
    instrument: 'i',
  },
  WSSubscribeParams: {
    stream: 's',
    selectors: 's1',
    use_global_sequence_number: 'ug',
  },
  WSSubscribeRequestV1Legacy: {
    request_id: 'ri',
    stream: 's',
    feed: 'f',
    method: 'm',
    is_full: 'if',
  },
  WSSubscribeResponseV1Legacy: {
    request_id: 'ri',
    stream: 's',
    subs: 's1',
    unsubs: 'u',
    num_snapshots: 'ns',
    first_sequence_number: 'fs',
    latest_sequence_number: 'ls',
  },
  WSSubscribeResult: {
    stream: 's',
    subs: 's1',
    unsubs: 'u',
    num_snapshots: 'ns',
    first_sequence_number: 'fs',
    latest_sequence_number: 'ls',
  },
  WSTickerFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'Ticker'],
    prev_sequence_number: 'ps',
  },
  WSTickerFeedSelectorV1: {
    instrument: 'i',
    rate: 'r',
  },
  WSTradeFeedDataV1: {
    stream: 's',
    selector: 's1',
    sequence_number: 'sn',
    feed: ['f', 'Trade'],
    prev_sequence_number: 'ps',
  },
  WSTradeFeedSelectorV1: {
    instrument: 'i',
    limit: 'l',
  },
  WSUnsubscribeParams: {
    stream: 's',
    selectors: 's1',
    use_global_sequence_number: 'ug',
  },
  WSUnsubscribeResult: {
    stream: 's',
    unsubs: 'u',
  },
} as const satisfies Record<string, Readonly<Record<string, string | readonly [string, string]>>>

/** A struct of {@link GRVT_LITE_STRUCTS}. */
export type GrvtLiteStruct = keyof typeof GRVT_LITE_STRUCTS

/** `POST /{full,lite}/v1/<name>` → [request struct, response struct] (GRVT's API specification, `rpcs`). */
export const GRVT_LITE_ENDPOINTS = {
  instrument: ['ApiGetInstrumentRequest', 'ApiGetInstrumentResponse'],
  all_instruments: ['ApiGetAllInstrumentsRequest', 'ApiGetAllInstrumentsResponse'],
  instruments: ['ApiGetFilteredInstrumentsRequest', 'ApiGetFilteredInstrumentsResponse'],
  book: ['ApiOrderbookLevelsRequest', 'ApiOrderbookLevelsResponse'],
  ticker: ['ApiTickerRequest', 'ApiTickerResponse'],
  mini: ['ApiMiniTickerRequest', 'ApiMiniTickerResponse'],
  trade: ['ApiTradeRequest', 'ApiTradeResponse'],
  trade_history: ['ApiTradeHistoryRequest', 'ApiTradeHistoryResponse'],
  kline: ['ApiCandlestickRequest', 'ApiCandlestickResponse'],
  funding: ['ApiFundingRateRequest', 'ApiFundingRateResponse'],
  currency: ['ApiGetCurrencyRequest', 'ApiGetCurrencyResponse'],
  create_order: ['ApiCreateOrderRequest', 'ApiCreateOrderResponse'],
  cancel_order: ['ApiCancelOrderRequest', 'AckResponse'],
  cancel_all_orders: ['ApiCancelAllOrdersRequest', 'AckResponse'],
  open_orders: ['ApiOpenOrdersRequest', 'ApiOpenOrdersResponse'],
  order: ['ApiGetOrderRequest', 'ApiGetOrderResponse'],
  order_history: ['ApiOrderHistoryRequest', 'ApiOrderHistoryResponse'],
  fill_history: ['ApiFillHistoryRequest', 'ApiFillHistoryResponse'],
  positions: ['ApiPositionsRequest', 'ApiPositionsResponse'],
  account_summary: ['ApiSubAccountSummaryRequest', 'ApiSubAccountSummaryResponse'],
  cancel_on_disconnect: ['ApiCancelOnDisconnectRequest', 'AckResponse'],
  get_sub_accounts: ['EmptyRequest', 'ApiGetSubAccountsResponse'],
  aggregated_account_summary: ['EmptyRequest', 'ApiAggregatedAccountSummaryResponse'],
  get_authorized_builders: ['EmptyRequest', 'ApiGetAuthorizedBuildersResponse'],
  set_initial_leverage: ['ApiSetInitialLeverageRequest', 'ApiSetInitialLeverageResponse'],
  get_all_initial_leverage: ['ApiGetAllInitialLeverageRequest', 'ApiGetAllInitialLeverageResponse'],
  authorize_builder: ['ApiAuthorizeBuilderRequest', 'AckResponse'],
} as const satisfies Record<string, readonly [GrvtLiteStruct, GrvtLiteStruct]>

/** Stream → the struct of its feed messages (`{stream, selector, sequence_number, feed, prev_sequence_number}`). */
export const GRVT_LITE_STREAMS = {
  'v1.book.d': 'WSOrderbookLevelsFeedDataV1',
  'v1.trade': 'WSTradeFeedDataV1',
  'v1.ticker.s': 'WSTickerFeedDataV1',
  'v1.ticker.d': 'WSTickerFeedDataV1',
  'v1.mini.s': 'WSMiniTickerFeedDataV1',
  'v1.mini.d': 'WSMiniTickerFeedDataV1',
  'v1.candle': 'WSCandlestickFeedDataV1',
  'v1.order': 'WSOrderFeedDataV1',
  'v1.fill': 'WSFillFeedDataV1',
  'v1.position': 'WSPositionsFeedDataV1',
} as const satisfies Record<string, GrvtLiteStruct>

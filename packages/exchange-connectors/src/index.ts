// Errors

// Binance
export { type BinanceConnectorConfig, protectConfig } from './binance/config.js'
export { type BinanceConnector, createBinanceConnector } from './binance/createBinanceConnector.js'
export {
  type BinanceCredentials,
  buildQueryString,
  buildWsApiSignaturePayload,
  protectCredentials,
  signPayload,
  signRestRequest,
  signWsApiParams,
} from './binance/credentials.js'
export {
  BinanceDepthBook,
  type DepthBookOutcome,
  type DepthBookParameters,
  type DepthRule,
} from './binance/depthBook.js'
export { BINANCE_CLIENT_ORDER_ID_RE, mapBinanceOrderStatus, mapBinanceTimeInForce } from './binance/enums.js'
export {
  BINANCE_DEAD_MAN_TIMEOUT_RANGE_MS,
  BinanceExecutionClient,
  type DeadManErrorHandler,
} from './binance/execution.js'
export { BinanceHttpClient, type BinanceRequest, type BinanceResponse } from './binance/http/client.js'
export { mapBinanceError } from './binance/http/mapBinanceError.js'
export { buildNewOrderParams, type SignedRequestOptions } from './binance/http/orders.js'
export { BinanceInstrumentProvider } from './binance/instruments.js'
export { BinanceMarketDataClient } from './binance/marketData.js'
export { parseAccountUpdate } from './binance/parse/parseAccountUpdate.js'
export { parseBookTicker } from './binance/parse/parseBookTicker.js'
export { parseDepthSnapshot, parseDepthUpdate } from './binance/parse/parseDepthUpdate.js'
export { parseInstrument } from './binance/parse/parseInstrument.js'
export { parseOrder } from './binance/parse/parseOrder.js'
export { type OrderUpdate, parseOrderUpdate } from './binance/parse/parseOrderUpdate.js'
export { parseTrade } from './binance/parse/parseTrade.js'
export {
  BINANCE_PATHS,
  BINANCE_SPOT_MAINNET,
  BINANCE_USDM_MAINNET,
  BINANCE_USDM_TESTNET,
  type BinanceProduct,
  type BinanceUrls,
  binanceUrlsFromBases,
} from './binance/urls.js'
export { BinanceSpotUserDataStream, buildSpotUserDataSubscribeRequest } from './binance/ws/spotUserData.js'
export { binanceStreams } from './binance/ws/streams.js'
export { BinanceUserDataStream } from './binance/ws/userData.js'
export {
  BinanceWsApiClient,
  type BinanceWsApiClientParameters,
  type BinanceWsApiRequest,
  buildWsApiFrame,
} from './binance/ws/wsApiClient.js'
export { wsCancelOrder, wsModifyOrder, wsPlaceOrder } from './binance/ws/wsApiOrders.js'
// Venue-neutral API
export type { AccountClient } from './common/accountClient.js'
export { AsyncQueue } from './common/asyncQueue.js'
export { type BackoffPolicy, computeBackoffMs } from './common/backoff.js'
export { type Clock, sleepOn, systemClock, type TimerHandle } from './common/clock.js'
export {
  DecimalGrid,
  formatScaled,
  numberToDecimal,
  parseDecimal,
  type RoundingDirection,
  type ScaledDecimal,
  toScaled,
} from './common/decimal.js'
export type { ExecutionClient } from './common/executionClient.js'
export { L2Book } from './common/l2Book.js'
export { ManualClock } from './common/manualClock.js'
export type {
  BookResyncEvent,
  MarketDataClient,
  MarketDataEvents,
  MarketDataMetrics,
} from './common/marketDataClient.js'
export { type MergeOrderUpdateAction, mergeOrderUpdate } from './common/mergeOrderUpdate.js'
export { canTransitionOrder, isFinalOrderState, transitionOrder } from './common/orderStateMachine.js'
export { parseScaledInt } from './common/parseScaledInt.js'
export type { PrivateStream, PrivateStreamEvents, ReconciliationSnapshot } from './common/privateStream.js'
export {
  RateLimiter,
  type RateLimiterParameters,
  type RateLimitKind,
  type RateLimitRule,
  type RequestCost,
  rateLimitRulesFromExchangeInfo,
} from './common/rateLimiter.js'
export {
  ReconnectingSocket,
  type ReconnectingSocketEvents,
  type ReconnectingSocketParameters,
} from './common/reconnectingSocket.js'
export { ServerTimeOffset } from './common/serverTimeOffset.js'
export type { Balance, Fill, Position } from './common/types/account.js'
export type { ConnectionHealthEvent } from './common/types/health.js'
export type { Instrument, InstrumentKind } from './common/types/instrument.js'
export type { Bbo, BookLevel, OrderBookView, Trade } from './common/types/marketData.js'
export type {
  AmendOrderParameters,
  Order,
  OrderSide,
  OrderState,
  PlaceOrderParameters,
  TimeInForce,
} from './common/types/order.js'
export {
  INVERSE_SIZE_BASE_DECIMALS,
  type InverseAmountUsdToSizeBaseErrorType,
  inverseAmountUsdToSizeBase,
} from './deribit/amount/inverseAmountUsdToSizeBase.js'
export {
  type SizeBaseToInverseAmountUsdErrorType,
  type SizeBaseToInverseAmountUsdParameters,
  type SizeBaseToInverseAmountUsdReturnType,
  sizeBaseToInverseAmountUsd,
} from './deribit/amount/sizeBaseToInverseAmountUsd.js'
export {
  createDeribitConnector,
  type DeribitConnector,
  type DeribitConnectorConfig,
} from './deribit/createDeribitConnector.js'
export {
  buildDeribitStringToSign,
  createDeribitCredentials,
  DeribitApiCredentials,
  type DeribitCredentials,
  type DeribitSignatureAuthParams,
  signDeribitPayload,
  signDeribitRestRequest,
  signDeribitWsAuth,
} from './deribit/credentials.js'
// Deribit
export { DeribitCreditLimiter, type DeribitCreditLimiterParameters } from './deribit/creditLimiter.js'
export { DeribitDepthBook, type DeribitDepthBookOutcome } from './deribit/depthBook.js'
export {
  type DeribitAmendOrderParameters,
  DeribitExecutionClient,
  type DeribitExecutionClientOptions,
  type DeribitPlaceOrderParameters,
} from './deribit/execution.js'
export {
  type DeribitExpiry,
  type DeribitInstrumentName,
  formatDeribitInstrumentName,
  getDeribitAmountUnit,
  parseDeribitInstrumentName,
} from './deribit/instrumentName.js'
export { DeribitInstrumentProvider } from './deribit/instruments.js'
export type { DeribitMarketDataEvents, DeribitMarketDataMetrics } from './deribit/marketData.js'
export { DeribitMarketDataClient } from './deribit/marketData.js'
export { isInverseInstrumentName } from './deribit/parse/isInverseInstrumentName.js'
export { numberToDecimalString } from './deribit/parse/numberToDecimalString.js'
export { type DeribitInstrument, parseDeribitInstrument } from './deribit/parse/parseInstrument.js'
export { type DeribitOrder, mapDeribitOrderState, parseDeribitOrder } from './deribit/parse/parseOrder.js'
export { parseDeribitPortfolio } from './deribit/parse/parsePortfolio.js'
export { type DeribitPosition, parseDeribitPosition } from './deribit/parse/parsePosition.js'
export { type DeribitFill, parseDeribitUserTrade } from './deribit/parse/parseUserTrade.js'
export { type DeribitBookLevelWire, type DeribitBookWire, parseDeribitBook } from './deribit/schemas/book.js'
export { DeribitRpcClient, type DeribitRpcClientEvents, type DeribitRpcClientParameters } from './deribit/ws/client.js'
export { mapDeribitError } from './deribit/ws/mapDeribitError.js'
export type { DeribitUserDataMetrics } from './deribit/ws/userData.js'
export { type DeribitUserDataEvents, DeribitUserDataStream } from './deribit/ws/userData.js'
export { ConnectorError, type ConnectorErrorParameters, type ConnectorErrorType } from './errors/base.js'
export {
  BookInvariantError,
  type BookInvariantErrorType,
  SequenceGapError,
  type SequenceGapErrorType,
} from './errors/book.js'
export { InvalidDecimalError, type InvalidDecimalErrorType } from './errors/decimal.js'
export {
  DeribitAmountBelowMinimumError,
  type DeribitAmountBelowMinimumErrorType,
  DeribitAuthError,
  type DeribitAuthErrorType,
  DeribitInvalidCredentialsError,
  type DeribitInvalidCredentialsErrorType,
  DeribitInverseInstrumentError,
  type DeribitInverseInstrumentErrorType,
  DeribitNotConnectedError,
  type DeribitNotConnectedErrorType,
  DeribitRequestTimeoutError,
  type DeribitRequestTimeoutErrorType,
  DeribitRpcError,
  type DeribitRpcErrorType,
  DeribitSessionTerminatedError,
  type DeribitSessionTerminatedErrorType,
  InvalidDeribitInstrumentNameError,
  type InvalidDeribitInstrumentNameErrorType,
} from './errors/deribit.js'
export {
  GrvtApiError,
  type GrvtApiErrorType,
  GrvtSigningValueError,
  type GrvtSigningValueErrorType,
  InvalidGrvtClientOrderIdError,
  type InvalidGrvtClientOrderIdErrorType,
  InvalidGrvtInstrumentNameError,
  type InvalidGrvtInstrumentNameErrorType,
  InvalidGrvtSignerKeyError,
  type InvalidGrvtSignerKeyErrorType,
} from './errors/grvt.js'
export {
  InvalidClientOrderIdError,
  type InvalidClientOrderIdErrorType,
  InvalidOrderTransitionError,
  type InvalidOrderTransitionErrorType,
  OrderNotPlacedError,
  type OrderNotPlacedErrorType,
  OrderStatusUnknownError,
  type OrderStatusUnknownErrorType,
  PostOnlyRejectedError,
  type PostOnlyRejectedErrorType,
} from './errors/order.js'
export {
  ConnectionClosedError,
  type ConnectionClosedErrorType,
  MalformedFrameError,
  type MalformedFrameErrorType,
  RequestTimeoutError,
  type RequestTimeoutErrorType,
} from './errors/transport.js'
export {
  InsufficientMarginError,
  type InsufficientMarginErrorType,
  InvalidPrecisionError,
  type InvalidPrecisionErrorType,
  InvalidSignatureError,
  type InvalidSignatureErrorType,
  ListenKeyExpiredError,
  type ListenKeyExpiredErrorType,
  OrderNotFoundError,
  type OrderNotFoundErrorType,
  RateLimitedError,
  type RateLimitedErrorType,
  TimestampOutsideRecvWindowError,
  type TimestampOutsideRecvWindowErrorType,
  VenueRejectedError,
  type VenueRejectedErrorType,
  VenueUnavailableError,
  type VenueUnavailableErrorType,
} from './errors/venue.js'
// GRVT
export {
  assertGrvtClientOrderId,
  createGrvtClientOrderId,
  GRVT_CLIENT_ORDER_ID_MAX,
  GRVT_CLIENT_ORDER_ID_MIN,
} from './grvt/clientOrderId.js'
export { createGrvtConnector, type GrvtConnector, type GrvtConnectorConfig } from './grvt/createGrvtConnector.js'
export { GrvtDepthBook, type GrvtDepthBookOutcome } from './grvt/depthBook.js'
export { GrvtExecutionClient, type GrvtExecutionClientParameters } from './grvt/execution.js'
export { GrvtHttpClient, type GrvtHttpClientParameters, type GrvtSession } from './grvt/http/client.js'
export {
  formatGrvtInstrumentName,
  type GrvtExpiry,
  type GrvtInstrumentName,
  parseGrvtInstrumentName,
} from './grvt/instrumentName.js'
export {
  GrvtMarketDataClient,
  type GrvtMarketDataClientParameters,
  type GrvtMarketDataEvents,
  type GrvtMarketDataMetrics,
} from './grvt/marketData.js'
export { parseGrvtFill } from './grvt/parse/parseFill.js'
export { mapGrvtOrderStatus, parseGrvtOrder } from './grvt/parse/parseOrder.js'
export { parseGrvtPosition } from './grvt/parse/parsePosition.js'
export { parseGrvtTrade } from './grvt/parse/parseTrade.js'
export { type GrvtBookLevelWire, type GrvtBookWire, parseGrvtBook } from './grvt/schemas/book.js'
export {
  buildGrvtOrderMessage,
  type GrvtOrderInput,
  type GrvtOrderLegInput,
  type GrvtOrderMessage,
} from './grvt/signing/buildOrderMessage.js'
export { createGrvtSigningKey } from './grvt/signing/createGrvtSigningKey.js'
export {
  GRVT_CHAIN_IDS,
  GRVT_EIP712_DOMAIN_NAME,
  GRVT_EIP712_DOMAIN_VERSION,
  GRVT_ORDER_TYPES,
  GRVT_PRICE_DECIMALS,
  GRVT_TIME_IN_FORCE,
  type GrvtTimeInForce,
  getGrvtDomain,
} from './grvt/signing/orderTypes.js'
export { type GrvtOrderSignature, hashGrvtOrder, signGrvtOrder } from './grvt/signing/signOrder.js'
export { truncateDecimal } from './grvt/signing/truncateDecimal.js'
export { GrvtPrivateStream, type GrvtPrivateStreamEvents } from './grvt/ws/privateStream.js'

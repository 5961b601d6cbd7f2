import { BinanceRejectionError } from '../errors/binance.js'

/** Binance error codes and messages the emulator answers with (futures error-code page; spot where noted). */
export const BINANCE_ERRORS = {
  UNKNOWN: { code: -1000, msg: 'An unknown error occured while processing the request.' },
  TOO_MANY_REQUESTS: {
    code: -1003,
    msg: 'Too many requests; current limit is %s requests per minute. Please use the websocket for live updates to avoid polling the API.',
  },
  IP_BANNED: {
    code: -1003,
    msg: 'Way too many requests; IP banned until %s. Please use the websocket for live updates to avoid bans.',
  },
  TOO_MANY_ORDERS: { code: -1015, msg: 'Too many new orders; current limit is %s orders per %s.' },
  TIMESTAMP_AHEAD: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
  TIMESTAMP_OUTSIDE: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
  INVALID_SIGNATURE: { code: -1022, msg: 'Signature for this request is not valid.' },
  ILLEGAL_CHARS: { code: -1100, msg: "Illegal characters found in parameter '%s'; legal range is '%s'." },
  MANDATORY_PARAM: { code: -1102, msg: "Mandatory parameter '%s' was not sent, was empty/null, or malformed." },
  UNREAD_PARAMETERS: { code: -1104, msg: 'Not all sent parameters were read; read %s parameter(s) but was sent %s.' },
  PRECISION: { code: -1111, msg: 'Precision is over the maximum defined for this asset.' },
  INVALID_TIF: { code: -1115, msg: 'Invalid timeInForce.' },
  INVALID_ORDER_TYPE: { code: -1116, msg: 'Invalid orderType.' },
  INVALID_SIDE: { code: -1117, msg: 'Invalid side.' },
  INVALID_SYMBOL: { code: -1121, msg: 'Invalid symbol.' },
  INVALID_LISTEN_KEY: { code: -1125, msg: 'This listenKey does not exist.' },
  INVALID_RECV_WINDOW: { code: -1131, msg: 'recvWindow must be less than 60000' },
  BAD_PARAMETER: { code: -1130, msg: "Data sent for parameter '%s' is not valid." },
  UNKNOWN_ORDER_CANCEL: { code: -2011, msg: 'Unknown order sent.' },
  NO_SUCH_ORDER: { code: -2013, msg: 'Order does not exist.' },
  API_KEY_FORMAT: { code: -2014, msg: 'API-key format invalid.' },
  INVALID_API_KEY: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
  MARGIN_INSUFFICIENT: { code: -2019, msg: 'Margin is insufficient.' },
  REDUCE_ONLY_REJECT: { code: -2022, msg: 'ReduceOnly Order is rejected.' },
  QTY_LESS_THAN_ZERO: { code: -4003, msg: 'Quantity less than or equal to zero.' },
  QTY_LESS_THAN_MIN: { code: -4004, msg: 'Quantity less than min quantity.' },
  QTY_GREATER_THAN_MAX: { code: -4005, msg: 'Quantity greater than max quantity.' },
  PRICE_NOT_BY_TICK: { code: -4014, msg: 'Price not increased by tick size.' },
  QTY_NOT_BY_STEP: { code: -4023, msg: 'Quantity not increased by step size.' },
  CLIENT_ORDER_ID_DUPLICATED: { code: -4116, msg: 'ClientOrderId is duplicated.' },
  MIN_NOTIONAL: {
    code: -4164,
    msg: "Order's notional must be no smaller than %s (unless you choose reduce only).",
  },
  GTX_WOULD_TAKE: {
    code: -5022,
    msg: 'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history',
  },
  NO_NEED_TO_MODIFY: { code: -5027, msg: 'No need to modify the order.' },
  NO_NEED_TO_CHANGE_MARGIN_TYPE: { code: -4046, msg: 'No need to change margin type.' },
  NO_NEED_TO_CHANGE_POSITION_SIDE: { code: -4059, msg: 'No need to change position side.' },
  /** Spot: LIMIT_MAKER that would take, and insufficient balance, both answer -2010 with different messages. */
  SPOT_WOULD_TAKE: { code: -2010, msg: 'Order would immediately match and take.' },
  SPOT_INSUFFICIENT_BALANCE: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
  SPOT_DUPLICATE_ORDER: { code: -2010, msg: 'Duplicate order sent.' },
  SPOT_FILTER: { code: -1013, msg: 'Filter failure: %s' },
} as const

export type BinanceErrorName = keyof typeof BINANCE_ERRORS

/** Builds the rejection for a known Binance error, filling `%s` placeholders in order. */
export function binanceReject(
  name: BinanceErrorName,
  args: readonly string[] = [],
  httpStatus = 400,
  headers?: Record<string, string>,
): BinanceRejectionError {
  const { code, msg } = BINANCE_ERRORS[name]
  let i = 0
  const filled = msg.replace(/%s/g, () => args[i++] ?? '')
  return new BinanceRejectionError({ httpStatus, binanceCode: code, binanceMsg: filled, headers })
}

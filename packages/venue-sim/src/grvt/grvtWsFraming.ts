import { GRVT_LITE_STREAMS } from './grvtLiteSchema.js'
import { grvtFullToLite, grvtLiteToFull } from './translateGrvtLite.js'

/**
 * Translates one WebSocket connection between a GRVT framing and the full JSON-RPC framing the emulator speaks.
 * `incoming` turns a client frame into the full JSON-RPC text to handle, or into a reply to send back at once;
 * `outgoing` turns a frame of the emulator into what goes on the wire.
 */
export type GrvtWsFraming = {
  readonly kind: 'lite' | 'legacy'
  incoming(text: string): { forward: string } | { reply: string }
  outgoing(text: string): string
}

/** GRVT's answer to a frame it cannot read (the official client sends a bare `ping` and ignores this code). */
const MALFORMED = { code: 1003, message: 'Request could not be processed due to malformed syntax', status: 400 }
const ERROR_STATUS: Record<number, number> = { 1000: 401, 1001: 403, 1004: 404, 1002: 500 }

/**
 * The framing of a WebSocket path: `/ws/lite` is JSON-RPC with lite keys (`{j, m, p: {s, s1}, i}`), `/ws` the legacy
 * framing (`{request_id, stream, feed, method, is_full}`; answers and feeds in lite keys unless `is_full` is true, as
 * the official `@grvt/client` uses it); any other path (`/ws/full`) is the full JSON-RPC framing: undefined.
 */
export function grvtWsFraming(pathname: string): GrvtWsFraming | undefined {
  if (pathname === '/ws/lite') return liteJsonRpcFraming()
  if (pathname === '/ws' || pathname === '/ws/') return legacyFraming()
  return undefined
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** A feed frame of the emulator (`{stream, selector, sequence_number, feed, …}`) in lite keys. */
function liteFeed(frame: Record<string, unknown>): unknown {
  const struct = GRVT_LITE_STREAMS[String(frame.stream) as keyof typeof GRVT_LITE_STREAMS]
  return struct === undefined ? frame : grvtFullToLite(frame, struct)
}

function liteJsonRpcFraming(): GrvtWsFraming {
  return {
    kind: 'lite',
    incoming(text) {
      const lite = parseObject(text)
      // the emulator answers what it cannot read with a JSON-RPC parse error, translated on the way out
      if (lite === undefined) return { forward: text }
      const request = grvtLiteToFull(lite, 'JSONRPCRequest') as Record<string, unknown>
      const params = grvtLiteToFull(
        lite.p ?? {},
        request.method === 'unsubscribe' ? 'WSUnsubscribeParams' : 'WSSubscribeParams',
      )
      return { forward: JSON.stringify({ ...request, params }) }
    },
    outgoing(text) {
      const frame = parseObject(text)
      if (frame === undefined) return text // a frame a fault knob malformed on purpose
      if ('jsonrpc' in frame) {
        const lite = grvtFullToLite(frame, 'JSONRPCResponse') as Record<string, unknown>
        if (frame.result !== null && typeof frame.result === 'object')
          lite.r = grvtFullToLite(frame.result, 'WSSubscribeResult')
        return JSON.stringify(lite)
      }
      return JSON.stringify(liteFeed(frame))
    },
  }
}

function legacyFraming(): GrvtWsFraming {
  /** `stream|selector` → whether its feeds go out in full keys (`is_full` of the subscribe). */
  const fullFeeds = new Map<string, boolean>()
  /** JSON-RPC id given to a forwarded request → the client's `request_id` and `is_full`. */
  const pending = new Map<number, { requestId: unknown; isFull: boolean }>()
  let nextId = 1
  const error = (body: Record<string, unknown>, isFull: boolean) =>
    JSON.stringify(isFull ? body : grvtFullToLite(body, 'Error'))
  return {
    kind: 'legacy',
    incoming(text) {
      const raw = parseObject(text)
      if (raw === undefined) return { reply: error(MALFORMED, false) }
      // GRVT documents the legacy request in full keys; its lite keys (`ri`, `s`, `f`, `m`, `if`) are read as well
      const request = (
        'stream' in raw || 'method' in raw ? raw : grvtLiteToFull(raw, 'WSSubscribeRequestV1Legacy')
      ) as Record<string, unknown>
      const isFull = request.is_full === true
      const selectors = Array.isArray(request.feed) ? request.feed.map(String) : []
      for (const selector of selectors) {
        const key = `${String(request.stream)}|${selector}`
        if (request.method === 'subscribe') fullFeeds.set(key, isFull)
        else if (request.method === 'unsubscribe') fullFeeds.delete(key)
      }
      const id = nextId++
      pending.set(id, { requestId: request.request_id, isFull })
      return {
        forward: JSON.stringify({
          jsonrpc: '2.0',
          method: request.method,
          params: { stream: request.stream, selectors },
          id,
        }),
      }
    },
    outgoing(text) {
      const frame = parseObject(text)
      if (frame === undefined) return text
      if ('jsonrpc' in frame) {
        const request = typeof frame.id === 'number' ? pending.get(frame.id) : undefined
        if (typeof frame.id === 'number') pending.delete(frame.id)
        const isFull = request?.isFull ?? false
        const requestId = request?.requestId === undefined ? {} : { request_id: request.requestId }
        const rpcError = frame.error as { code?: unknown; message?: unknown } | undefined
        if (rpcError !== undefined) {
          const code = Number(rpcError.code)
          // JSON-RPC's own codes (parse error, unknown method) are GRVT's malformed-request 1003 here
          const body =
            code < 0
              ? { ...requestId, ...MALFORMED }
              : { ...requestId, code, message: rpcError.message, status: ERROR_STATUS[code] ?? 400 }
          return error(body, isFull)
        }
        const answer = { ...requestId, ...(frame.result as Record<string, unknown>) }
        return JSON.stringify(isFull ? answer : grvtFullToLite(answer, 'WSSubscribeResponseV1Legacy'))
      }
      const isFull = fullFeeds.get(`${String(frame.stream)}|${String(frame.selector)}`) ?? false
      return isFull ? text : JSON.stringify(liteFeed(frame))
    },
  }
}

import type { Secret } from '../config/Secret.js'
import { RuntimeError } from '../errors/base.js'

/** What went wrong, as the operator reads it. `critical` wakes someone up; `warning` can wait for the morning. */
export type AlertSeverity = 'critical' | 'warning' | 'info'

/** The events the deployment alerts on (docs/deployment.md, "Alerts"). */
export type AlertKind =
  | 'halt'
  | 'kill'
  | 'resume'
  | 'reconciliation-failed'
  | 'venue-down'
  | 'rpc-down'
  | 'loss'
  | 'rebalance-failed'

export type Alert = {
  readonly kind: AlertKind
  readonly severity: AlertSeverity
  /** One line, e.g. `binance-perp: halted (stale feed, 12 s)`. */
  readonly title: string
  /** Dedup key: alerts with the same key inside the dedup window are counted, not sent. Default `kind`. */
  readonly key?: string | undefined
  /** Numbers and names for the receiver (never a secret). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>> | undefined
}

/**
 * The receiver's body format:
 * - `generic`: the alert as JSON (`{ source, kind, severity, title, key, details, atMs, repeated }`);
 * - `slack`: `{ text }` (Slack incoming webhooks, Mattermost, Rocket.Chat, Discord's `/slack` endpoint);
 * - `telegram`: `{ chat_id, text }` for the Bot API's `sendMessage` URL (`https://api.telegram.org/bot<token>/sendMessage`).
 */
export type WebhookFormat = 'generic' | 'slack' | 'telegram'

export type CreateWebhookAlerterOptions = {
  /** The webhook URL. Slack and Telegram URLs carry a token: pass the config's `Secret`, it is never printed. */
  readonly url: Secret | string
  readonly format?: WebhookFormat | undefined
  /** Telegram's `chat_id` (required with `format: 'telegram'`). */
  readonly telegramChatId?: string | undefined
  /** Names this deployment in every message (e.g. the trader's PROCESS_NAME). */
  readonly source: string
  /** Alerts with the same key within this window after one was sent are counted, not sent. Default 300 000 ms. */
  readonly dedupWindowMs?: number | undefined
  /** At most this many messages per `rateWindowMs`; the rest are summed up in one message when the window frees. Default 10. */
  readonly maxPerWindow?: number | undefined
  /** Default 60 000 ms. */
  readonly rateWindowMs?: number | undefined
  /** One POST's timeout, ms. Default 5000. */
  readonly timeoutMs?: number | undefined
  /** Retries of a POST that failed with a network error, 429 or 5xx (backoff 1 s, 2 s, 4 s…, or the receiver's Retry-After). Default 3. */
  readonly retries?: number | undefined
  /** Called when a message could not be delivered after its retries (the error never contains the URL). */
  readonly onDeliveryError?: ((error: RuntimeError) => void) | undefined
  /** Clock, ms. Default `Date.now`. */
  readonly nowMs?: (() => number) | undefined
  /** Waits between retries, ms. Default a timer; tests pass an instant one. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
  readonly fetch?: typeof fetch | undefined
}

/** What `alert` did with one alert. */
export type AlertOutcome = 'sent' | 'deduplicated' | 'rate-limited'

export type WebhookAlerter = {
  /** Queues the alert for delivery, or counts it (dedup, rate limit). Never throws, never waits for the network. */
  alert(alert: Alert): AlertOutcome
  /** Sends the rate-limit summary when its window has freed, and resolves when every queued message was attempted. */
  flush(): Promise<void>
  /** Counters since start. */
  readonly stats: {
    readonly sent: number
    readonly deduplicated: number
    readonly rateLimited: number
    readonly failed: number
  }
  /** Flushes, then stops the summary timer. */
  close(): Promise<void>
}

type Message = {
  readonly kind: AlertKind | 'rate-limited'
  readonly severity: AlertSeverity
  readonly title: string
  readonly key: string
  readonly details: Readonly<Record<string, string | number | boolean | null>>
  readonly atMs: number
  /** How many alerts of this key were deduplicated since the last one sent. */
  readonly repeated: number
}

/**
 * Alerts to one webhook, deduplicated and rate-limited (docs/deployment.md, "Alerts"). Delivery is in order, one POST at
 * a time, in the background; `alert` only queues. Why hand-written: the three body formats and the two limits are about
 * 150 lines, and the notification libraries on npm either bundle many providers and their SDKs or do neither limit.
 */
export function createWebhookAlerter(options: CreateWebhookAlerterOptions): WebhookAlerter {
  const format = options.format ?? 'generic'
  if (format === 'telegram' && (options.telegramChatId === undefined || options.telegramChatId === ''))
    throw new RuntimeError('A Telegram webhook needs the chat id.', {
      code: 'ALERT_CONFIG_INVALID',
      metaMessages: ['Next: set ALERT_TELEGRAM_CHAT_ID (the numeric id of the chat the bot posts to).'],
    })
  const url = typeof options.url === 'string' ? options.url : options.url.reveal()
  const now = options.nowMs ?? Date.now
  const dedupWindowMs = options.dedupWindowMs ?? 300_000
  const maxPerWindow = options.maxPerWindow ?? 10
  const rateWindowMs = options.rateWindowMs ?? 60_000
  const timeoutMs = options.timeoutMs ?? 5_000
  const retries = options.retries ?? 3
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()))
  const post = options.fetch ?? fetch
  const stats = { sent: 0, deduplicated: 0, rateLimited: 0, failed: 0 }
  const lastSentByKey = new Map<string, number>()
  const repeatedByKey = new Map<string, number>()
  const sentAtMs: number[] = []
  const held: Alert[] = []
  let delivery: Promise<void> = Promise.resolve()
  let summaryTimer: NodeJS.Timeout | undefined

  const windowCount = (atMs: number): number => {
    while (sentAtMs.length > 0 && (sentAtMs[0] as number) <= atMs - rateWindowMs) sentAtMs.shift()
    return sentAtMs.length
  }
  const enqueue = (message: Message): void => {
    sentAtMs.push(message.atMs)
    delivery = delivery.then(() => deliver(message))
  }
  const deliver = async (message: Message): Promise<void> => {
    const body = JSON.stringify(bodyOf(format, options.source, message, options.telegramChatId))
    let lastProblem = ''
    for (let attempt = 0; attempt <= retries; attempt++) {
      let waitMs = 1_000 * 2 ** attempt
      try {
        const response = await post(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        })
        const text = await response.text().catch(() => '')
        if (response.ok) {
          stats.sent++
          return
        }
        lastProblem = `HTTP ${response.status}`
        if (response.status !== 429 && response.status < 500) break
        waitMs = retryAfterMs(response, text) ?? waitMs
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : ''
        lastProblem = (error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error)).replaceAll(
          url,
          '<webhook>',
        )
      }
      if (attempt < retries) await sleep(waitMs)
    }
    stats.failed++
    options.onDeliveryError?.(
      new RuntimeError(`An alert could not be delivered to the webhook (${lastProblem}).`, {
        code: 'ALERT_NOT_DELIVERED',
        details: `${message.kind} ${message.severity}: ${message.title}`,
        metaMessages: ['Next: check ALERT_WEBHOOK_URL and the receiver; the alert is also in the log.'],
      }),
    )
  }
  const sendSummaryWhenFree = (): void => {
    if (held.length === 0) return
    const atMs = now()
    if (windowCount(atMs) >= maxPerWindow) {
      scheduleSummary(atMs)
      return
    }
    const kinds = new Map<string, number>()
    for (const alert of held) kinds.set(alert.kind, (kinds.get(alert.kind) ?? 0) + 1)
    const worst = held.some((a) => a.severity === 'critical')
      ? 'critical'
      : held.some((a) => a.severity === 'warning')
        ? 'warning'
        : 'info'
    const count = held.length
    held.length = 0
    enqueue({
      kind: 'rate-limited',
      severity: worst,
      title: `${count} more alert${count === 1 ? '' : 's'} held back by the rate limit: ${[...kinds].map(([k, n]) => `${k} ×${n}`).join(', ')}`,
      key: 'rate-limited',
      details: Object.fromEntries(kinds),
      atMs,
      repeated: 0,
    })
  }
  const scheduleSummary = (atMs: number): void => {
    if (summaryTimer !== undefined || options.nowMs !== undefined) return // a test clock: flush() sends it
    const oldest = sentAtMs[0] ?? atMs
    summaryTimer = setTimeout(
      () => {
        summaryTimer = undefined
        sendSummaryWhenFree()
      },
      Math.max(0, oldest + rateWindowMs - atMs) + 1,
    ).unref()
  }

  return {
    alert(alert) {
      const atMs = now()
      const key = alert.key ?? alert.kind
      const last = lastSentByKey.get(key)
      if (last !== undefined && atMs - last < dedupWindowMs) {
        stats.deduplicated++
        repeatedByKey.set(key, (repeatedByKey.get(key) ?? 0) + 1)
        return 'deduplicated'
      }
      if (windowCount(atMs) >= maxPerWindow) {
        stats.rateLimited++
        held.push(alert)
        scheduleSummary(atMs)
        return 'rate-limited'
      }
      lastSentByKey.set(key, atMs)
      const repeated = repeatedByKey.get(key) ?? 0
      repeatedByKey.delete(key)
      enqueue({
        kind: alert.kind,
        severity: alert.severity,
        title: alert.title,
        key,
        details: alert.details ?? {},
        atMs,
        repeated,
      })
      return 'sent'
    },
    async flush() {
      sendSummaryWhenFree()
      await delivery
    },
    stats,
    async close() {
      clearTimeout(summaryTimer)
      summaryTimer = undefined
      sendSummaryWhenFree()
      await delivery
    },
  }
}

function bodyOf(format: WebhookFormat, source: string, message: Message, chatId: string | undefined): unknown {
  if (format === 'generic')
    return {
      source,
      kind: message.kind,
      severity: message.severity,
      title: message.title,
      key: message.key,
      details: message.details,
      atMs: message.atMs,
      repeated: message.repeated,
    }
  const icon = message.severity === 'critical' ? '🔴' : message.severity === 'warning' ? '🟠' : '🔵'
  const details = Object.entries(message.details).map(([k, v]) => `${k}=${v}`)
  const lines = [
    `${icon} [${source}] ${message.title}`,
    ...(details.length > 0 ? [details.join(' ')] : []),
    ...(message.repeated > 0 ? [`(${message.repeated} more like it since the last message)`] : []),
    new Date(message.atMs).toISOString(),
  ]
  const text = lines.join('\n')
  return format === 'slack' ? { text } : { chat_id: chatId, text, disable_web_page_preview: true }
}

/** Retry-After in seconds (HTTP header) or Telegram's `parameters.retry_after`, as ms; undefined when absent. */
function retryAfterMs(response: Response, text: string): number | undefined {
  const header = Number(response.headers.get('retry-after'))
  if (Number.isFinite(header) && header > 0) return header * 1_000
  try {
    const retryAfter = (JSON.parse(text) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after
    return typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter * 1_000 : undefined
  } catch {
    return undefined
  }
}

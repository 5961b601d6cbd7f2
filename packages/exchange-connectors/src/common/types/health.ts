/** Connection-health events emitted by every socket and client. */
export type ConnectionHealthEvent =
  | { readonly kind: 'open'; readonly connection: string; readonly tsMs: number }
  | {
      readonly kind: 'close'
      readonly connection: string
      readonly tsMs: number
      readonly code: number
      readonly reason: string
    }
  | {
      readonly kind: 'reconnecting'
      readonly connection: string
      readonly tsMs: number
      readonly attempt: number
      readonly delayMs: number
    }
  | { readonly kind: 'stale'; readonly connection: string; readonly tsMs: number; readonly silentForMs: number }
  | {
      readonly kind: 'resync'
      readonly connection: string
      readonly tsMs: number
      readonly symbol: string
      readonly reason: string
    }
  | { readonly kind: 'error'; readonly connection: string; readonly tsMs: number; readonly error: Error }

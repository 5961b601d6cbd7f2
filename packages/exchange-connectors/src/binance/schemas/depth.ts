/** `<symbol>@depth[@100ms|@500ms|@0ms]` diff-depth event. `pu` exists on futures only. */
export type DepthUpdateWire = {
  e: 'depthUpdate'
  E: number
  T?: number
  s: string
  U: number
  u: number
  pu?: number
  b: [string, string][]
  a: [string, string][]
}

/** `GET /fapi/v1/depth` and `GET /api/v3/depth` response. */
export type DepthSnapshotWire = {
  lastUpdateId: number
  E?: number
  T?: number
  bids: [string, string][]
  asks: [string, string][]
}

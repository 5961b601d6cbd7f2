import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

/** Folder of the real Binance ETHUSDT capture (hftbacktest examples, MIT; see its PROVENANCE.md). */
export const CAPTURE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../data/binance-ethusdt-l2-2024-08-08',
)

/** One capture line: local receive time and the raw JSON text. */
export type CaptureLine = { readonly tsLocalNs: bigint; readonly json: string }

/** Reads a capture file (`"<local_recv_ts_ns> <json>"` per line, gzip). */
export function readCapture(fileName: string): CaptureLine[] {
  const text = gunzipSync(readFileSync(resolve(CAPTURE_DIR, fileName))).toString('utf8')
  const out: CaptureLine[] = []
  for (const line of text.split('\n')) {
    if (line.length === 0) continue
    const space = line.indexOf(' ')
    out.push({ tsLocalNs: BigInt(line.slice(0, space)), json: line.slice(space + 1) })
  }
  return out
}

import { InvalidEmulatorConfigError } from '../errors/binance.js'
import type { FaultSettings } from './FaultController.js'

const KNOB = /^(depth|ws|rest)\.([A-Za-z0-9]+)=(.+)$/
const NUMBER = /^-?\d+(\.\d+)?$/

/** Parses CLI fault knobs such as `depth.dropNext=3` or `ws.malformedKind=truncated` into fault settings (numbers stay numbers). */
export function parseFaultKnobs(knobs: readonly string[]): FaultSettings {
  const out: Record<string, Record<string, unknown>> = {}
  for (const knob of knobs) {
    const match = KNOB.exec(knob)
    if (!match)
      throw new InvalidEmulatorConfigError({
        field: 'fault',
        reason: `"${knob}" is not <depth|ws|rest>.<name>=<value>`,
      })
    const [, group = '', name = '', raw = ''] = match
    out[group] = { ...out[group], [name]: NUMBER.test(raw) ? Number(raw) : raw }
  }
  return out as FaultSettings
}

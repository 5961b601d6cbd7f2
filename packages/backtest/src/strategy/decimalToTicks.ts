const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/

/** A decimal string → integer grid units of `step` ("2268.56" with step "0.01" → 226856), rounded to the nearest unit. */
export function decimalToTicks(value: string, step: string): number {
  // Fast path (klines: four calls a minute): plain decimals whose scaled integers stay below 10^15, so every
  // intermediate below is an exact double; the same formula as the bigint path, with an exact integer floor.
  if (value.length <= 30 && step.length <= 16 && PLAIN_DECIMAL.test(value) && PLAIN_DECIMAL.test(step)) {
    const stepDot = step.indexOf('.')
    const scale = stepDot < 0 ? 0 : step.length - stepDot - 1
    const dot = value.indexOf('.')
    const whole = dot < 0 ? value : value.slice(0, dot)
    const fraction = dot < 0 ? '' : value.slice(dot + 1)
    const stepDigits = stepDot < 0 ? step : step.slice(0, stepDot) + step.slice(stepDot + 1)
    if (whole.length + scale <= 15 && stepDigits.length <= 15) {
      const units = Number(whole + fraction.padEnd(scale, '0').slice(0, scale))
      const stepUnits = Number(stepDigits)
      if (stepUnits > 0) {
        const roundUp = fraction.length > scale && fraction.charCodeAt(scale) >= 53 /* '5' */ ? 1 : 0
        const q = (units + roundUp) * 2 + stepUnits
        const d = 2 * stepUnits
        let r = Math.floor(q / d)
        if (r * d > q) r--
        else if ((r + 1) * d <= q) r++
        return r
      }
    }
  }
  return decimalToTicksBigInt(value, step)
}

function decimalToTicksBigInt(value: string, step: string): number {
  const dot = step.indexOf('.')
  const scale = dot < 0 ? 0 : step.length - dot - 1
  const [whole = '0', fraction = ''] = value.split('.')
  const units = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale))
  const stepUnits = BigInt(step.replace('.', ''))
  const roundUp = fraction.length > scale && Number(fraction[scale]) >= 5 ? 1n : 0n
  const q = (units + roundUp) * 2n + stepUnits
  return Number(q / (2n * stepUnits))
}

/** Integer grid units → exact decimal string ("226856" × "0.01" → "2268.56"). */
export function ticksToDecimal(ticks: number, step: string): string {
  const dot = step.indexOf('.')
  const scale = dot < 0 ? 0 : step.length - dot - 1
  const units = BigInt(ticks) * BigInt(step.replace('.', ''))
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale)
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`
}

/** A decimal string → integer grid units of `step` ("2268.56" with step "0.01" → 226856), rounded to the nearest unit. */
export function decimalToTicks(value: string, step: string): number {
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

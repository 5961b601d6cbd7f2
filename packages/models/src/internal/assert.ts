import { InvalidParameterError } from '../errors/parameter.js'

// Input checks shared by every model function. Each throws InvalidParameterError naming the field and the value.

export function assertFinite(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidParameterError({ field, value, rule: 'a finite number' })
}

export function assertPositive(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new InvalidParameterError({ field, value, rule: '> 0' })
}

export function assertNonNegative(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new InvalidParameterError({ field, value, rule: '>= 0' })
}

export function assertInteger(field: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new InvalidParameterError({ field, value, rule: `an integer >= ${min}` })
}

export function assertInRange(field: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new InvalidParameterError({ field, value, rule: `in [${min}, ${max}]` })
}

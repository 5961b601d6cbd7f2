import { describe, expect, it } from 'vitest'
import { createGrvtOrderIdTranslator } from './createGrvtOrderIdTranslator.js'

// 2^63 = 9223372036854775808 (GRVT: client order ids below 2^63 belong to the UI).
describe('createGrvtOrderIdTranslator', () => {
  it('issues 2^63 + 1, 2^63 + 2 … per new core id, the same id again for a known one, and maps back', () => {
    const t = createGrvtOrderIdTranslator()
    expect(t.toVenue('alp0x1')).toBe('9223372036854775809')
    expect(t.toVenue('alp0x2')).toBe('9223372036854775810')
    expect(t.toVenue('alp0x1')).toBe('9223372036854775809')
    expect(t.fromVenue('9223372036854775810')).toBe('alp0x2')
  })

  it('passes through an id it never issued (an order the core adopts) in both directions', () => {
    const t = createGrvtOrderIdTranslator()
    expect(t.fromVenue('9223372036854775999')).toBe('9223372036854775999')
    expect(t.toVenue('9223372036854775999')).toBe('9223372036854775999')
    expect(t.toVenue('alp0x1')).toBe('9223372036854775809')
  })
})

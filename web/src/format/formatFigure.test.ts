import { describe, expect, it } from 'vitest'
import { formatFigure } from './formatFigure.js'

describe('formatFigure', () => {
  it('rounds half away from zero and groups thousands, exactly', () => {
    expect(formatFigure('1282500.125', 'usd')).toBe('1,282,500.13')
    expect(formatFigure('-1282500.125', 'usd')).toBe('-1,282,500.13')
    expect(formatFigure('1.155405405405405405', 'ratio')).toBe('1.1554')
    expect(formatFigure('999.995', 'usd')).toBe('1,000.00')
    expect(formatFigure('7', 'amount')).toBe('7.0000')
    expect(formatFigure(null, 'ratio')).toBe('—')
  })

  it('keeps digits a float would lose', () => {
    // 2^53 + 1 has no exact double.
    expect(formatFigure('9007199254740993.005', 'usd')).toBe('9,007,199,254,740,993.01')
  })
})

import { describe, expect, it } from 'vitest'
import {
  addDecimal,
  divDecimal,
  equalDecimal,
  formatDecimal,
  mulDecimal,
  parseDecimal,
  subDecimal,
} from './decimal.js'

const d = parseDecimal

describe('BigDecimal host arithmetic', () => {
  it('parses and formats canonically', () => {
    expect(d('1.50')).toEqual({ digits: 15n, exp: -1n })
    expect(formatDecimal(d('1200'))).toBe('1200')
    expect(formatDecimal(d('-0.00120'))).toBe('-0.0012')
    expect(formatDecimal(d('3e-4'))).toBe('0.0003')
    expect(formatDecimal(d('0.000'))).toBe('0')
    expect(() => d('1.2.3')).toThrow('Invalid BigDecimal "1.2.3".')
  })

  it('adds, subtracts, multiplies and compares exactly', () => {
    expect(formatDecimal(addDecimal(d('0.1'), d('0.2')))).toBe('0.3')
    expect(formatDecimal(subDecimal(d('1'), d('0.001')))).toBe('0.999')
    expect(formatDecimal(mulDecimal(d('1.5'), d('-2.5')))).toBe('-3.75')
    expect(equalDecimal(d('1.0'), d('1'))).toBe(true)
  })

  it('divides to 34 significant digits, rounding half to even', () => {
    expect(formatDecimal(divDecimal(d('1'), d('3')))).toBe(`0.${'3'.repeat(34)}`)
    expect(formatDecimal(divDecimal(d('2'), d('3')))).toBe(`0.${'6'.repeat(33)}7`)
    expect(formatDecimal(divDecimal(d('10'), d('4')))).toBe('2.5')
    expect(() => divDecimal(d('1'), d('0'))).toThrow('BigDecimal division by zero.')
  })
})

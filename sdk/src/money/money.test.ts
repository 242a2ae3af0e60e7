import { describe, expect, it } from 'vitest'
import { fixedToNumber, numberToFixed } from './fixedNumber.js'
import { MoneyError } from './MoneyError.js'
import { scaleDecimals } from './scaleDecimals.js'
import { sqrt } from './sqrt.js'
import { toUsd } from './toUsd.js'
import { bpsToWad, WAD, wadDiv, wadMul } from './wad.js'

describe('scaleDecimals', () => {
  it('scales up exactly and down with a rounding mode', () => {
    expect(scaleDecimals(1_500_000n, 6, 18)).toBe(1_500_000_000_000_000_000n)
    expect(scaleDecimals(1_234_567_890_000_000_000n, 18, 6, 'floor')).toBe(1_234_567n)
    expect(scaleDecimals(1_234_567_890_000_000_000n, 18, 6, 'ceil')).toBe(1_234_568n)
    expect(scaleDecimals(1_000_000n, 6, 6)).toBe(1_000_000n)
    expect(() => scaleDecimals(123n, 6, 0)).toThrow('Result is not exact.')
  })
})

describe('toUsd', () => {
  it('values 6, 8 and 18 decimal tokens with an 8-decimal feed in USD with 18 decimals', () => {
    // 2.5 WETH * 3000 USD = 7500 USD
    expect(toUsd(2_500_000_000_000_000_000n, 18, 300_000_000_000n, 8)).toBe(7_500n * WAD)
    // 1234.56 USDC * 0.99980000 = 1234.313088 USD
    expect(toUsd(1_234_560_000n, 6, 99_980_000n, 8)).toBe(1_234_313_088_000_000_000_000n)
    // 0.5 WBTC (8 decimals) * 60000.5 USD = 30000.25 USD
    expect(toUsd(50_000_000n, 8, 6_000_050_000_000n, 8)).toBe(30_000_250_000_000_000_000_000n)
    // 1 wei of an 18-decimal token at 1 USD with an 8-decimal feed: 1e-18 USD, exactly representable
    expect(toUsd(1n, 18, 100_000_000n, 8)).toBe(1n)
    // 1 wei at 0.5 USD: 0.5e-18 USD floors to 0 and ceils to 1
    expect(toUsd(1n, 18, 50_000_000n, 8)).toBe(0n)
    expect(toUsd(1n, 18, 50_000_000n, 8, 'ceil')).toBe(1n)
  })
})

describe('WAD helpers', () => {
  it('multiplies, divides and converts basis points', () => {
    expect(wadMul(2n * WAD, WAD / 4n)).toBe(WAD / 2n)
    expect(wadDiv(3n, 2n)).toBe(1_500_000_000_000_000_000n)
    expect(wadDiv(1n, 3n)).toBe(333_333_333_333_333_333n)
    expect(wadDiv(1n, 3n, 'ceil')).toBe(333_333_333_333_333_334n)
    expect(bpsToWad(1_500)).toBe(150_000_000_000_000_000n)
    expect(bpsToWad(10_000n)).toBe(WAD)
    expect(() => bpsToWad(-1)).toThrow('Invalid basis points.')
    expect(() => bpsToWad(1.5)).toThrow('bps = 1.5')
  })
})

describe('sqrt', () => {
  it('is the integer square root', () => {
    expect(sqrt(0n)).toBe(0n)
    expect(sqrt(1n)).toBe(1n)
    expect(sqrt(10n)).toBe(3n)
    expect(sqrt(10n, 'ceil')).toBe(4n)
    expect(sqrt(16n, 'ceil')).toBe(4n)
    expect(sqrt(10n ** 36n)).toBe(10n ** 18n)
    const big = 2n ** 200n + 12345n
    const r = sqrt(big)
    expect(r * r <= big && (r + 1n) * (r + 1n) > big).toBe(true)
    expect(() => sqrt(-1n)).toThrow(MoneyError)
  })
})

describe('float bridges (statistics only)', () => {
  it('converts exactly between doubles and fixed point', () => {
    expect(fixedToNumber(1_500_000n, 6)).toBe(1.5)
    expect(numberToFixed(0.25, 18, 'exact')).toBe(250_000_000_000_000_000n)
    // 0.15 as a double is 0.14999999999999999444888...: the exact expansion, not the decimal literal
    expect(numberToFixed(0.15, 18, 'halfEven')).toBe(149_999_999_999_999_994n)
    // 0.1 as a double is 0.10000000000000000555111...: floor and ceil at 18 decimals bracket it
    expect(numberToFixed(0.1, 18, 'floor')).toBe(100_000_000_000_000_005n)
    expect(numberToFixed(0.1, 18, 'ceil')).toBe(100_000_000_000_000_006n)
    expect(numberToFixed(-2.5, 0, 'halfEven')).toBe(-2n)
    expect(numberToFixed(1e21, 0, 'exact')).toBe(10n ** 21n)
    expect(numberToFixed(5e-324, 18, 'floor')).toBe(0n)
    expect(() => numberToFixed(Number.NaN, 18, 'floor')).toThrow('Not a finite number.')
    expect(() => numberToFixed(Number.POSITIVE_INFINITY, 18, 'floor')).toThrow(MoneyError)
  })
})

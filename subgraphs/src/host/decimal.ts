import { SubgraphError } from '../errors/SubgraphError.js'

/** graph-node's BigDecimal: `digits * 10^exp`, kept to 34 significant digits. */
export type Decimal = { digits: bigint; exp: bigint }

/** graph-node rounds BigDecimal results to 34 significant digits (decimal128's precision). */
const PRECISION = 34

/** Drops trailing zeros of the digits into the exponent (the canonical form). */
export function normalizeDecimal({ digits, exp }: Decimal): Decimal {
  if (digits === 0n) return { digits: 0n, exp: 0n }
  let d = digits
  let e = exp
  while (d % 10n === 0n) {
    d /= 10n
    e += 1n
  }
  const length = (d < 0n ? -d : d).toString().length
  if (length > PRECISION) {
    // Round half to even at 34 significant digits.
    const drop = BigInt(length - PRECISION)
    const scale = 10n ** drop
    let q = d / scale
    const r = d % scale
    const twice = 2n * (r < 0n ? -r : r)
    if (twice > scale || (twice === scale && q % 2n !== 0n)) q += d < 0n ? -1n : 1n
    return normalizeDecimal({ digits: q, exp: e + drop })
  }
  return { digits: d, exp: e }
}

/**
 * Parses a decimal string ("-12.5", "3e-4") into digits and exponent.
 *
 * @param text A decimal number.
 * @returns Its normalized BigDecimal parts.
 * @example
 * ```ts
 * parseDecimal('1.50') // { digits: 15n, exp: -1n }
 * ```
 */
export function parseDecimal(text: string): Decimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim())
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new SubgraphError(`Invalid BigDecimal "${text}".`, { metaMessages: ['Use a decimal like "12.5".'] })
  }
  const fraction = match[3] ?? ''
  const digits = BigInt(`${match[1]}${match[2] || '0'}${fraction}`)
  return normalizeDecimal({ digits, exp: BigInt(match[4] ?? '0') - BigInt(fraction.length) })
}

/**
 * Formats a BigDecimal without exponent notation ("1.5", "-0.001", "1200").
 *
 * @param value Digits and exponent.
 * @returns The decimal string.
 * @example
 * ```ts
 * formatDecimal({ digits: 15n, exp: -1n }) // '1.5'
 * ```
 */
export function formatDecimal(value: Decimal): string {
  const { digits, exp } = normalizeDecimal(value)
  const sign = digits < 0n ? '-' : ''
  const abs = (digits < 0n ? -digits : digits).toString()
  if (exp >= 0n) return sign + abs + '0'.repeat(Number(exp))
  const point = abs.length + Number(exp)
  if (point > 0) return `${sign}${abs.slice(0, point)}.${abs.slice(point)}`
  return `${sign}0.${'0'.repeat(-point)}${abs}`
}

/** Aligns two decimals to the smaller exponent. */
function align(a: Decimal, b: Decimal): [bigint, bigint, bigint] {
  let exp = a.exp
  if (b.exp < exp) exp = b.exp
  return [a.digits * 10n ** (a.exp - exp), b.digits * 10n ** (b.exp - exp), exp]
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b)
  return normalizeDecimal({ digits: x + y, exp })
}

export function subDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b)
  return normalizeDecimal({ digits: x - y, exp })
}

export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return normalizeDecimal({ digits: a.digits * b.digits, exp: a.exp + b.exp })
}

export function divDecimal(a: Decimal, b: Decimal): Decimal {
  if (b.digits === 0n) throw new SubgraphError('BigDecimal division by zero.')
  // Two extra digits beyond the precision so the final rounding sees them.
  const scale = BigInt(PRECISION + 2)
  const bLength = BigInt((b.digits < 0n ? -b.digits : b.digits).toString().length)
  const shift = scale + bLength
  return normalizeDecimal({ digits: (a.digits * 10n ** shift) / b.digits, exp: a.exp - b.exp - shift })
}

export function equalDecimal(a: Decimal, b: Decimal): boolean {
  const x = normalizeDecimal(a)
  const y = normalizeDecimal(b)
  return x.digits === y.digits && x.exp === y.exp
}

import { formatDecimal, parseDecimal } from '@ballast/sdk'

/** How a figure is shown: its unit decides the fraction digits. */
export type FigureKind = 'usd' | 'ratio' | 'amount' | 'price' | 'fraction'

/** Fraction digits shown per kind (the exact value stays in the page: `<data value>`). */
export const fractionDigitsOf: Record<FigureKind, number> = {
  usd: 2,
  ratio: 4,
  amount: 4,
  price: 4,
  fraction: 4,
}

/**
 * Formats an exact decimal string from the API for display: rounded half away from zero to the
 * kind's fraction digits, thousands grouped with commas. Pure string and bigint arithmetic, never a
 * float, so no digit changes on the way (`0.1 + 0.2` problems cannot occur).
 *
 * @param value - an exact decimal string, e.g. `"1282500.123456"` (null: no value, shown as `—`).
 * @param kind - the unit of the figure.
 * @returns the display text, e.g. `"1,282,500.12"`.
 * @example
 * ```ts
 * formatFigure('1282500.125', 'usd') // '1,282,500.13'
 * formatFigure('1.155405405405405405', 'ratio') // '1.1554'
 * ```
 */
export function formatFigure(value: string | null | undefined, kind: FigureKind): string {
  if (value === null || value === undefined) return '—'
  const digits = fractionDigitsOf[kind]
  // Parse at the value's own precision (exact), then round once to the shown digits.
  const fraction = value.split('.')[1]?.length ?? 0
  const precision = Math.max(fraction, digits)
  const text = formatDecimal(parseDecimal(value, precision), precision, {
    fractionDigits: digits,
    rounding: 'halfExpand',
  })
  const negative = text.startsWith('-')
  const [int = '0', frac] = (negative ? text.slice(1) : text).split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`
}

/**
 * How a fixed-point result that falls between two representable values is rounded. The names are
 * those of ECMA-402 `Intl.NumberFormat` `roundingMode` (Intl.NumberFormat v3), plus `exact`,
 * which refuses to round and throws a `PrecisionLossError` instead.
 *
 * - `ceil` / `floor`: toward +infinity / -infinity.
 * - `expand` / `trunc`: away from / toward zero.
 * - `halfCeil`, `halfFloor`, `halfExpand`, `halfTrunc`, `halfEven`: to the nearest value; a tie goes
 *   toward +infinity, -infinity, away from zero, toward zero, or to the even neighbour.
 * - `exact`: no rounding allowed.
 */
export type RoundingMode =
  | 'ceil'
  | 'floor'
  | 'expand'
  | 'trunc'
  | 'halfCeil'
  | 'halfFloor'
  | 'halfExpand'
  | 'halfTrunc'
  | 'halfEven'
  | 'exact'

/** Every rounding mode, for validation and property tests. */
export const roundingModes: readonly RoundingMode[] = [
  'ceil',
  'floor',
  'expand',
  'trunc',
  'halfCeil',
  'halfFloor',
  'halfExpand',
  'halfTrunc',
  'halfEven',
  'exact',
]

import { IndexerError } from '../errors/IndexerError.js'

/** Digits after the sign character: 10^78 > 2^256, so every int256/uint256 fits. */
const DIGITS = 78
const OFFSET = 10n ** BigInt(DIGITS)

/**
 * Encodes a bigint (any int256 or uint256) as fixed-width text so that text order is numeric
 * order and nothing is lost: `0` + 78 zero-padded digits for n >= 0, `-` + the 78-digit
 * complement `10^78 + n` for n < 0 ('-' sorts before '0'). Ponder stores uint256 the same way,
 * because neither a JS number nor a SQLite INTEGER (64-bit) can hold them. The same text is used
 * on SQLite and PostgreSQL, so both engines compare and return identical values.
 *
 * @param value The integer, |value| < 10^78.
 * @returns 79 characters.
 * @example
 * ```ts
 * encodeUint256(5n) // '0000…005' (79 chars); decodeUint256(encodeUint256(x)) === x
 * ```
 */
export function encodeUint256(value: bigint): string {
  if (value >= OFFSET || value <= -OFFSET) {
    throw new IndexerError('Integer too large to store.', {
      details: `${value} has more than ${DIGITS} digits.`,
    })
  }
  return value >= 0n
    ? `0${value.toString().padStart(DIGITS, '0')}`
    : `-${(OFFSET + value).toString().padStart(DIGITS, '0')}`
}

/**
 * Decodes text written by {@link encodeUint256}.
 *
 * @param text 79 characters: a sign character and 78 digits.
 * @returns The integer.
 * @example
 * ```ts
 * decodeUint256(encodeUint256(-1n)) // -1n
 * ```
 */
export function decodeUint256(text: string): bigint {
  if (text.length !== DIGITS + 1 || (text[0] !== '0' && text[0] !== '-')) {
    throw new IndexerError('Corrupt stored integer.', {
      details: `${JSON.stringify(text)} is not a sign character followed by ${DIGITS} digits.`,
    })
  }
  const magnitude = BigInt(text.slice(1))
  return text[0] === '0' ? magnitude : magnitude - OFFSET
}

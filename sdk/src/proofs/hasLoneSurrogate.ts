/**
 * Whether a string has a lone UTF-16 surrogate (a high surrogate not followed by a low one, or a
 * low one not preceded by a high one). Such a string has no UTF-8 encoding: `TextEncoder` writes
 * U+FFFD for each lone surrogate, so two different ids would hash alike. Leaf ids must be
 * well-formed (`String.prototype.isWellFormed`, ES2024, which the sdk's ES2023 target lacks).
 *
 * @param value - the string
 * @returns `true` when some surrogate is unpaired
 * @example
 * ```ts
 * hasLoneSurrogate('a\uD800b') // true
 * hasLoneSurrogate('💰') // false (a pair)
 * ```
 */
export function hasLoneSurrogate(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0xd800 || c > 0xdfff) continue
    if (c >= 0xdc00) return true
    const next = value.charCodeAt(i + 1)
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true
    i++
  }
  return false
}

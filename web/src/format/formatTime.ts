/**
 * A unix time (seconds) as UTC text, `2026-11-25 10:00:00 UTC`.
 *
 * @param seconds - unix seconds.
 * @returns the text.
 * @example
 * ```ts
 * formatTime(1764064800) // '2025-11-25 10:00:00 UTC'
 * ```
 */
export function formatTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

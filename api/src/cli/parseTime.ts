import { ApiError } from '../errors/ApiError.js'

/**
 * Parses a CLI time: unix seconds or an ISO-8601 date.
 *
 * @param value - the option's text.
 * @returns unix seconds.
 * @example
 * ```ts
 * parseTime('2026-11-25T10:00:00Z') // 1764064800
 * ```
 */
export function parseTime(value: string): number {
  if (/^\d+$/.test(value)) return Number(value)
  const ms = Date.parse(value)
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(ms)) return Math.floor(ms / 1000)
  throw new ApiError('Invalid time.', {
    details: `--at ${JSON.stringify(value)} is neither unix seconds nor an ISO-8601 date.`,
    metaMessages: ['For example --at 1764064800 or --at 2026-11-25T10:00:00Z.'],
  })
}

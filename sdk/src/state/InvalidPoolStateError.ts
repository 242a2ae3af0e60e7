import { BaseError } from '../errors/BaseError.js'

/** A `PoolState` failed validation; `path` names the bad field (e.g. `members[2].holdings[0].amount`). */
export class InvalidPoolStateError extends BaseError {
  override name = 'InvalidPoolStateError'
  /** Path of the offending field inside the state. */
  readonly path: string

  constructor(path: string, problem: string, value: unknown, hint: string) {
    super(`Invalid pool state: ${path} ${problem}.`, {
      details: `${path} = ${describe(value)}`,
      metaMessages: [hint],
    })
    this.path = path
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === undefined) return 'undefined'
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  if (Array.isArray(value)) return `array(${value.length})`
  return typeof value
}

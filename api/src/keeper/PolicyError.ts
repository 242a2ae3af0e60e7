import { BaseError } from '@ballast/sdk'

/**
 * A keeper policy value is missing or wrong. `field` is its path (`triggers[1].ratio`), so the
 * message points at the line to fix.
 *
 * @example
 * ```ts
 * throw new PolicyError('limits.perDayUsd', 'must be a decimal string of dollars', { value: 5 })
 * ```
 */
export class PolicyError extends BaseError {
  override name = 'PolicyError'
  readonly field: string

  constructor(field: string, problem: string, options: { value?: unknown; hint?: string | undefined } = {}) {
    super(`Invalid keeper policy: ${field} ${problem}.`, {
      details:
        'value' in options
          ? `${field} = ${JSON.stringify(options.value) ?? String(options.value)}`
          : undefined,
      metaMessages: options.hint === undefined ? undefined : [options.hint],
    })
    this.field = field
  }
}

import { IndexerError } from './IndexerError.js'

/**
 * A config value is missing or wrong. `field` is the path of the offending value
 * (`chains[1].rpcUrls[0]`), so the message points at the line to fix; never retryable.
 *
 * @example
 * ```ts
 * throw new ConfigError('chains[0].chainId', 'must be a positive integer', { value: -1 })
 * ```
 */
export class ConfigError extends IndexerError {
  override name = 'ConfigError'
  readonly field: string

  /**
   * @param field Path of the bad value in the config object.
   * @param problem What is wrong with it, as a sentence fragment ("must be ...").
   * @param options The bad value (rendered in the details), a hint, and the underlying error.
   */
  constructor(
    field: string,
    problem: string,
    options: { value?: unknown; hint?: string | undefined; cause?: unknown } = {},
  ) {
    super(`Invalid config: ${field} ${problem}.`, {
      details: 'value' in options ? `${field} = ${render(options.value)}` : undefined,
      metaMessages: options.hint === undefined ? undefined : [options.hint],
      cause: options.cause,
      retryable: false,
    })
    this.field = field
  }
}

function render(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'string') return JSON.stringify(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

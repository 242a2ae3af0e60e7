import { ConfigError } from '../errors/ConfigError.js'

/** `${env:NAME}`: a value taken from the environment (a JSON config's way to keep keys out of the file). */
const REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Replaces every `"${env:NAME}"` in the strings of a parsed JSON config by the environment
 * variable's value (inside a longer string too: `"https://host/v2/${env:ALCHEMY_KEY}"`). A
 * TypeScript config reads `process.env` itself and needs none of this.
 *
 * @param value The parsed config (or any part of it).
 * @param env The environment (default `process.env`).
 * @param field Path of `value` in the config, for errors.
 * @returns A copy with the references replaced.
 * @throws ConfigError naming the field and the variable when it is not set.
 * @example
 * ```ts
 * resolveEnvReferences({ rpcUrls: ['https://x/${env:KEY}'] }, { KEY: 'abc' }) // { rpcUrls: ['https://x/abc'] }
 * ```
 */
export function resolveEnvReferences(
  value: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
  field = 'config',
): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_, name: string) => {
      const got = env[name]
      if (got === undefined || got === '') {
        throw new ConfigError(field, `refers to the environment variable ${name}, which is not set`, {
          hint: `Set ${name} (e.g. \`export ${name}=…\`) before starting, or write the value into the config.`,
        })
      }
      return got
    })
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvReferences(v, env, `${field}[${i}]`))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        resolveEnvReferences(v, env, field === 'config' ? k : `${field}.${k}`),
      ]),
    )
  }
  return value
}

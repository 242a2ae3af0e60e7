import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../errors/ConfigError.js'
import { defineConfig } from './defineConfig.js'
import type { IndexerConfig, ResolvedIndexerConfig } from './IndexerConfig.js'

/** Default config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'ballast.config.ts'

/**
 * Loads and validates a config file: `.json` is parsed; `.ts`/`.js`/`.mjs` is imported (under tsx,
 * as the `ballast` CLI runs) and its default export used, whether or not it already went through
 * `defineConfig`.
 *
 * @param path File path (default `ballast.config.ts`).
 * @returns The resolved config.
 * @throws ConfigError (field `config`) when the file is missing or has no default export, or any
 * field error from `defineConfig`.
 * @example
 * ```ts
 * const config = await loadConfig('ballast.config.ts')
 * ```
 */
export async function loadConfig(path: string = DEFAULT_CONFIG_FILE): Promise<ResolvedIndexerConfig> {
  const file = resolve(path)
  let value: unknown
  try {
    if (file.endsWith('.json')) value = JSON.parse(await readFile(file, 'utf8'))
    else value = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default
  } catch (error) {
    throw new ConfigError('config', `could not be loaded from ${path}`, {
      hint: 'Check the path (--config), or create one with `ballast config from-devnet`.',
      cause: error,
    })
  }
  if (value === undefined) {
    throw new ConfigError('config', `has no default export in ${path}`, {
      hint: 'End the file with `export default defineConfig({ ... })`.',
    })
  }
  return defineConfig(value as IndexerConfig)
}

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../errors/ConfigError.js'
import { defineConfig } from './defineConfig.js'
import type { IndexerConfig, ResolvedIndexerConfig } from './IndexerConfig.js'
import { resolveEnvReferences } from './resolveEnvReferences.js'

/**
 * The config file every command reads when given none: `ballast.config.ts`, or
 * `ballast.config.json` when there is no `.ts` (what `ballast config from-devnet` writes).
 */
export const DEFAULT_CONFIG_FILE = 'ballast.config.ts'
const DEFAULT_CONFIG_FILES = [DEFAULT_CONFIG_FILE, 'ballast.config.json'] as const

/**
 * The config file to read: `path` when given, else the first of `ballast.config.ts` and
 * `ballast.config.json` that exists in the working directory.
 *
 * @param path The `--config` value, if any.
 * @returns The path.
 * @example
 * ```ts
 * configPath(undefined) // 'ballast.config.ts' (or 'ballast.config.json' if only that exists)
 * ```
 */
export function configPath(path?: string | undefined): string {
  if (path !== undefined) return path
  return DEFAULT_CONFIG_FILES.find((f) => existsSync(resolve(f))) ?? DEFAULT_CONFIG_FILE
}

/**
 * Loads and validates a config file: `.json` is parsed and its `"${env:NAME}"` references are
 * filled from the environment ({@link resolveEnvReferences}); `.ts`/`.js`/`.mjs` is imported
 * (under tsx, as the `ballast` CLI runs; it reads `process.env` itself) and its default export
 * used, whether or not it already went through `defineConfig`. Every command loads its config
 * here.
 *
 * @param path File path (default {@link configPath}: `ballast.config.ts`, else `ballast.config.json`).
 * @param options `prepare` rewrites the raw value before validation (the CLI fills in `deployments`
 *   files), given the config file's folder.
 * @returns The resolved config.
 * @throws ConfigError (field `config`) when the file is missing, unreadable or has no default
 * export; a field's error from `defineConfig`; a missing environment variable.
 * @example
 * ```ts
 * const config = await loadConfig('ballast.config.ts')
 * ```
 */
export async function loadConfig(
  path?: string | undefined,
  options: { prepare?: ((raw: unknown, dir: string) => Promise<unknown>) | undefined } = {},
): Promise<ResolvedIndexerConfig> {
  const given = configPath(path)
  const file = resolve(given)
  if (!existsSync(file)) {
    throw new ConfigError('config', `file ${given} was not found`, {
      hint:
        path === undefined
          ? 'Create ballast.config.ts (or .json) here, pass --config PATH, or write one with `ballast config from-devnet .ballast/devnet.json`.'
          : 'Check the path (--config), or write one with `ballast config from-devnet .ballast/devnet.json`.',
    })
  }
  let value: unknown
  try {
    if (file.endsWith('.json')) value = JSON.parse(await readFile(file, 'utf8'))
    else value = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default
  } catch (error) {
    throw new ConfigError('config', `could not be loaded from ${given}`, {
      hint: `Fix the file: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      cause: error,
    })
  }
  if (value === undefined) {
    throw new ConfigError('config', `has no default export in ${given}`, {
      hint: 'End the file with `export default defineConfig({ ... })`.',
    })
  }
  if (file.endsWith('.json')) value = resolveEnvReferences(value)
  if (options.prepare !== undefined) value = await options.prepare(value, dirname(file))
  return defineConfig(value as IndexerConfig)
}

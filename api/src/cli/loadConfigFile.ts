import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineConfig, type IndexerConfig, type ResolvedIndexerConfig } from '@ballast/indexer'
import { ApiError } from '../errors/ApiError.js'

/**
 * Loads a Ballast config file: JSON (as `ballast config from-devnet` writes), or a TypeScript /
 * JavaScript module whose default export is a config (`export default defineConfig({...})`).
 * Validated with the indexer's `defineConfig` (errors name the bad field).
 *
 * @param path - the file.
 * @returns the resolved config.
 * @example
 * ```ts
 * const config = await loadConfigFile('ballast.config.ts')
 * ```
 */
export async function loadConfigFile(path: string): Promise<ResolvedIndexerConfig> {
  const file = resolve(path)
  let raw: unknown
  try {
    if (file.endsWith('.json')) raw = JSON.parse(await readFile(file, 'utf8'))
    else raw = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default
  } catch (cause) {
    const missing =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ||
      (cause as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND'
    throw new ApiError(missing ? 'Config file not found.' : 'Cannot read the config file.', {
      details: missing ? file : `${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
      metaMessages: [
        'Write one with `ballast config from-devnet .ballast/devnet.json`, or run `ballast start` with no config for the demo.',
      ],
      cause,
    })
  }
  if (raw === undefined) {
    throw new ApiError('The config module has no default export.', {
      details: file,
      metaMessages: ['End it with `export default defineConfig({ ... })`.'],
    })
  }
  return defineConfig(raw as IndexerConfig)
}

import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineConfig, type IndexerConfig, type ResolvedIndexerConfig } from '@ballast/indexer'
import { ApiError } from '../errors/ApiError.js'
import { readDeploymentFile } from './deployCommand.js'

/**
 * Loads a Ballast config file: JSON (as `ballast config from-devnet` writes), or a TypeScript /
 * JavaScript module whose default export is a config (`export default defineConfig({...})`).
 * Validated with the indexer's `defineConfig` (errors name the bad field). A JSON config's pool may
 * name `deployments` (files `ballast deploy` wrote, relative to the config): their registries are
 * added to the pool's `registries` by chain id.
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
  return defineConfig((await withDeployments(raw, dirname(file))) as IndexerConfig)
}

/** Replaces each pool's `deployments: string[]` with the registries those files record. */
async function withDeployments(raw: unknown, dir: string): Promise<unknown> {
  const config = raw as { pools?: { deployments?: unknown; registries?: Record<number, string> }[] }
  if (!Array.isArray(config.pools)) return raw
  const pools = []
  for (const pool of config.pools) {
    const { deployments, ...rest } = pool
    if (deployments === undefined) {
      pools.push(pool)
      continue
    }
    const registries: Record<number, string> = { ...rest.registries }
    for (const path of Array.isArray(deployments) ? deployments : [deployments]) {
      const file = resolve(dir, String(path))
      const deployment = await readDeploymentFile(file)
      const registry = deployment?.contracts.registry
      if (deployment === undefined || registry === undefined) {
        throw new ApiError('A deployment file the config names has no registry.', {
          details: `${file}: ${deployment === undefined ? 'not found' : 'no `contracts.registry`'}.`,
          metaMessages: ['Write it with `ballast deploy registry --chain NAME --rpc URL --out FILE`.'],
        })
      }
      registries[deployment.chainId] = registry
    }
    pools.push({ ...rest, registries })
  }
  return { ...config, pools }
}

import { resolve } from 'node:path'
import { loadConfig, type ResolvedIndexerConfig } from '@ballast/indexer'
import { ApiError } from '../errors/ApiError.js'
import { readDeploymentFile } from './deployCommand.js'

/**
 * Loads a config file as every CLI command does: the indexer's `loadConfig` (`--config`, else
 * `ballast.config.ts`, else `ballast.config.json`; env references; errors name the field), plus
 * one CLI extension: a pool may name `deployments` (files `ballast deploy` wrote, relative to the
 * config), whose registries are added to the pool's `registries` by chain id.
 *
 * @param path - the file (default: the indexer's default config file).
 * @returns the resolved config.
 * @example
 * ```ts
 * const config = await loadConfigFile('ballast.config.json')
 * ```
 */
export function loadConfigFile(path?: string | undefined): Promise<ResolvedIndexerConfig> {
  return loadConfig(path, { prepare: withDeployments })
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

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type SubgraphAbiName, subgraphAbiJson, subgraphAbis } from './subgraphAbis.js'

/**
 * Writes (or, with `check`, compares) every `abis/<name>.json` of the subgraph.
 *
 * @param dir The `subgraphs/abis` folder.
 * @param options `check: true` writes nothing and lists the stale files instead.
 * @returns Names of the files that were stale (written, or only found when checking).
 * @example
 * ```ts
 * const stale = writeSubgraphAbis('subgraphs/abis', { check: true })
 * ```
 */
export function writeSubgraphAbis(dir: string, options: { check?: boolean } = {}): SubgraphAbiName[] {
  const stale: SubgraphAbiName[] = []
  for (const name of Object.keys(subgraphAbis) as SubgraphAbiName[]) {
    const file = join(dir, `${name}.json`)
    const text = subgraphAbiJson(name)
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue
    stale.push(name)
    if (!options.check) writeFileSync(file, text)
  }
  return stale
}

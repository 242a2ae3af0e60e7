import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { SubgraphError } from '../errors/SubgraphError.js'
import type { ContextsJson, NetworksJson } from '../networks/networksJson.js'

/** The subgraph package folder (holds subgraph.yaml, schema.graphql, abis/, mappings/). */
export const subgraphDir = join(import.meta.dirname, '..', '..')

/** What a prepared copy needs: the files graph-cli reads, the networks and the Registry contexts. */
export type PrepareSubgraphParameters = {
  /** Where to write the copy (created if missing). */
  outDir: string
  networks: NetworksJson
  contexts: ContextsJson
  /** Folder to copy from. Default: this package. */
  sourceDir?: string | undefined
}

/**
 * Copies the subgraph into `outDir` (manifest, schema, ABIs, mappings, networks.json, contexts.json,
 * and a link to this package's node_modules for graph-ts), ready for `graph codegen` and
 * `graph build --network N`. graph-cli rewrites the manifest in place, so it only ever runs on a copy.
 *
 * @param parameters See {@link PrepareSubgraphParameters}.
 * @returns `outDir`.
 * @example
 * ```ts
 * const dir = prepareSubgraph({ outDir: '/tmp/ballast-subgraph', networks, contexts })
 * setNetworkContext(dir, 'ballast-devnet-31337', contexts)
 * await runGraph(['build', '--network', 'ballast-devnet-31337'], dir)
 * ```
 */
export function prepareSubgraph(parameters: PrepareSubgraphParameters): string {
  const { outDir, networks, contexts, sourceDir = subgraphDir } = parameters
  mkdirSync(outDir, { recursive: true })
  for (const file of ['subgraph.yaml', 'schema.graphql', 'abis', 'mappings']) {
    cpSync(join(sourceDir, file), join(outDir, file), { recursive: true })
  }
  writeFileSync(join(outDir, 'networks.json'), `${JSON.stringify(networks, null, 2)}\n`)
  writeFileSync(join(outDir, 'contexts.json'), `${JSON.stringify(contexts, null, 2)}\n`)
  symlinkSync(join(subgraphDir, 'node_modules'), join(outDir, 'node_modules'), 'dir')
  return outDir
}

/**
 * Writes a network's Registry context (reserve tokens, OFTs, feeds) into the copy's subgraph.yaml;
 * `graph build --network` then fills in the addresses and start blocks from networks.json.
 *
 * @param dir A folder made by {@link prepareSubgraph}.
 * @param network The network name.
 * @param contexts The contexts (from contexts.json).
 * @example
 * ```ts
 * setNetworkContext(dir, 'ballast-devnet-31337', contexts)
 * ```
 */
export function setNetworkContext(dir: string, network: string, contexts: ContextsJson): void {
  const context = contexts[network]
  if (!context) {
    throw new SubgraphError(`No Registry context for network "${network}".`, {
      details: `contexts.json lists: ${Object.keys(contexts).join(', ') || '(none)'}.`,
      metaMessages: ['Regenerate networks.json and contexts.json together (`pnpm networks`).'],
    })
  }
  const file = join(dir, 'subgraph.yaml')
  const doc = parseDocument(readFileSync(file, 'utf8'))
  const index = (doc.toJS().dataSources as { name: string }[]).findIndex((d) => d.name === 'Registry')
  for (const [key, data] of Object.entries(context)) {
    doc.setIn(['dataSources', index, 'context', key], { type: 'String', data })
  }
  writeFileSync(file, doc.toString())
}

import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { SubgraphError } from '../errors/SubgraphError.js'
import type { ContextsJson, NetworksJson } from '../networks/networksJson.js'

/**
 * Copies a built subgraph and points it at another network: the Registry's network, address, start
 * block and context, and every template's network; exactly what `graph build --network` writes,
 * without compiling the (network-independent) WASM again. For tests that index several chains;
 * `npm test` still builds every network with graph-cli.
 *
 * @param buildDir A network's build folder (`build/<network>`).
 * @param outDir Where to write the copy.
 * @param network Target network (in `networks` and `contexts`).
 * @param networks networks.json contents.
 * @param contexts contexts.json contents.
 * @returns `outDir`.
 * @example
 * ```ts
 * retargetBuild(builds[0].outputDir, join(dir, 'build', 'ballast-devnet-31338'), 'ballast-devnet-31338', networks, contexts)
 * ```
 */
export function retargetBuild(
  buildDir: string,
  outDir: string,
  network: string,
  networks: NetworksJson,
  contexts: ContextsJson,
): string {
  const registry = networks[network]?.Registry
  const context = contexts[network]
  if (!registry || !context) {
    throw new SubgraphError(`Network "${network}" has no Registry in networks.json or no context.`)
  }
  cpSync(buildDir, outDir, { recursive: true })
  const file = `${outDir}/subgraph.yaml`
  const doc = parseDocument(readFileSync(file, 'utf8'))
  const sources = doc.toJS() as { dataSources: { name: string }[]; templates?: unknown[] }
  const index = sources.dataSources.findIndex((d) => d.name === 'Registry')
  doc.setIn(['dataSources', index, 'network'], network)
  doc.setIn(['dataSources', index, 'source', 'address'], registry.address)
  doc.setIn(['dataSources', index, 'source', 'startBlock'], registry.startBlock)
  for (const [key, data] of Object.entries(context)) {
    doc.setIn(['dataSources', index, 'context', key], { type: 'String', data })
  }
  for (let i = 0; i < (sources.templates?.length ?? 0); i++) doc.setIn(['templates', i, 'network'], network)
  writeFileSync(file, doc.toString())
  return outDir
}

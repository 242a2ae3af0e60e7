// `pnpm subgraph:prepare <network> <outDir>`: a deployable copy of the subgraph for one network
// (manifest with the network's Registry context, schema, ABIs, mappings, networks.json). Then, in
// outDir: `graph codegen && graph build --network <network>` and `graph deploy …` (see README).
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { prepareSubgraph, setNetworkContext, subgraphDir } from '../build/prepareSubgraph.js'
import type { ContextsJson, NetworksJson } from '../networks/networksJson.js'

const [network, outDir] = process.argv.slice(2)
if (!network || !outDir) {
  console.error('usage: pnpm subgraph:prepare <network> <outDir>')
  process.exit(2)
}
const networks: NetworksJson = JSON.parse(readFileSync(join(subgraphDir, 'networks.json'), 'utf8'))
const contexts: ContextsJson = JSON.parse(readFileSync(join(subgraphDir, 'contexts.json'), 'utf8'))
if (!networks[network]) {
  console.error(
    `Network "${network}" is not in subgraphs/networks.json (has: ${Object.keys(networks).join(', ')}).`,
  )
  process.exit(1)
}
const dir = prepareSubgraph({ outDir: resolve(outDir), networks, contexts })
setNetworkContext(dir, network, contexts)
console.log(`prepared ${dir}: cd there and run graph codegen && graph build --network ${network}`)

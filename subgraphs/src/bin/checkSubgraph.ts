// `pnpm test:checks` (run by `npm test`): graph codegen + graph build for every network in
// networks.json, from a temp copy (graph-cli rewrites the manifest), failing on any error and on a
// mapping importing a host function the test host lacks. Prints the build times.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSubgraph } from '../build/buildSubgraph.js'
import { prepareSubgraph, subgraphDir } from '../build/prepareSubgraph.js'
import { hostFunctionNames } from '../host/hostFunctions.js'
import type { ContextsJson, NetworksJson } from '../networks/networksJson.js'

const networks: NetworksJson = JSON.parse(readFileSync(join(subgraphDir, 'networks.json'), 'utf8'))
const contexts: ContextsJson = JSON.parse(readFileSync(join(subgraphDir, 'contexts.json'), 'utf8'))
const outDir = mkdtempSync(join(tmpdir(), 'ballast-subgraph-'))
try {
  const dir = prepareSubgraph({ outDir, networks, contexts })
  const result = await buildSubgraph({
    dir,
    networks: Object.keys(networks),
    contexts,
    hostFunctions: hostFunctionNames,
  })
  console.log(`graph codegen: ${result.codegenSeconds.toFixed(1)} s`)
  for (const build of result.builds) {
    console.log(
      `graph build --network ${build.network}: ${build.wasmFiles.length} mappings, ${build.seconds.toFixed(1)} s`,
    )
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  rmSync(outDir, { recursive: true, force: true })
}

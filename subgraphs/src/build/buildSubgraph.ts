import { cpSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { SubgraphError } from '../errors/SubgraphError.js'
import type { ContextsJson } from '../networks/networksJson.js'
import { setNetworkContext } from './prepareSubgraph.js'
import { runGraph } from './runGraph.js'
import { wasmImports } from './wasmImports.js'

/** One network's build. */
export type NetworkBuild = {
  network: string
  /** Folder with the built subgraph.yaml, schema and .wasm files. */
  outputDir: string
  wasmFiles: string[]
  seconds: number
}

/** Everything `buildSubgraph` did, with timings. */
export type BuildSubgraphResult = { codegenSeconds: number; builds: NetworkBuild[] }

export type BuildSubgraphParameters = {
  /** A folder made by `prepareSubgraph`. */
  dir: string
  networks: readonly string[]
  contexts: ContextsJson
  /** Host function names the mappings may import (e.g. the test host's); unchecked when absent. */
  hostFunctions?: ReadonlySet<string> | undefined
  /** Networks built at once, each in its own copy (the compile is CPU-bound). Default 2. */
  concurrency?: number | undefined
}

function findWasm(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => join(dir, f))
    .sort()
}

/**
 * Fails when a compiled mapping imports a host function outside `hostFunctions` (graph-node would
 * fail at run time; the test host could not run it).
 *
 * @param outputDir The build folder (for readable paths).
 * @param wasmFiles The compiled mappings.
 * @param hostFunctions Import names the host implements (`store.get`, …).
 * @example
 * ```ts
 * checkHostImports(outputDir, wasmFiles, hostFunctionNames)
 * ```
 */
export function checkHostImports(
  outputDir: string,
  wasmFiles: readonly string[],
  hostFunctions: ReadonlySet<string>,
): void {
  const missing = wasmFiles.flatMap((file) =>
    wasmImports(file)
      .map((name) => name.slice(name.indexOf('.') + 1))
      .filter((name) => !hostFunctions.has(name))
      .map((name) => `${file.slice(outputDir.length + 1)} imports ${name}`),
  )
  if (missing.length > 0) {
    throw new SubgraphError('A mapping imports a host function the test host does not implement.', {
      details: missing.join('\n'),
      metaMessages: [
        'Implement it in subgraphs/src/host/hostFunctions.ts, or avoid the call in the mapping.',
      ],
    })
  }
}

/**
 * Runs `graph codegen`, then `graph build --network N` for every network (each in its own copy of
 * `dir`, two at a time, into `build/<network>`), and checks that no mapping imports a host function
 * outside `hostFunctions`.
 * Any graph-cli error (schema, manifest, AssemblyScript type error) rejects with its output.
 *
 * @param parameters See {@link BuildSubgraphParameters}.
 * @returns Per-network outputs and timings.
 * @example
 * ```ts
 * const dir = prepareSubgraph({ outDir, networks, contexts })
 * await buildSubgraph({ dir, networks: Object.keys(networks), contexts, hostFunctions: hostFunctionNames })
 * ```
 */
export async function buildSubgraph(parameters: BuildSubgraphParameters): Promise<BuildSubgraphResult> {
  const { dir, networks, contexts, hostFunctions, concurrency = 2 } = parameters
  if (networks.length === 0) {
    throw new SubgraphError('No network to build.', { metaMessages: ['Add networks to networks.json.'] })
  }
  const started = performance.now()
  await runGraph(['codegen'], dir)
  const codegenSeconds = (performance.now() - started) / 1000
  const builds: NetworkBuild[] = []
  const buildOne = async (network: string): Promise<NetworkBuild> => {
    const began = performance.now()
    // `--network` rewrites the manifest in place: each network builds in its own copy of `dir`.
    const copy = join(dir, 'networks', network)
    mkdirSync(copy, { recursive: true })
    for (const entry of readdirSync(dir)) {
      if (entry === 'build' || entry === 'networks') continue
      cpSync(join(dir, entry), join(copy, entry), { recursive: true, verbatimSymlinks: true })
    }
    setNetworkContext(copy, network, contexts)
    const outputDir = join(dir, 'build', network)
    await runGraph(['build', '--network', network, '--output-dir', outputDir], copy)
    const wasmFiles = findWasm(outputDir)
    if (hostFunctions) checkHostImports(outputDir, wasmFiles, hostFunctions)
    return { network, outputDir, wasmFiles, seconds: (performance.now() - began) / 1000 }
  }
  const queue = [...networks]
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, async () => {
      for (let network = queue.shift(); network !== undefined; network = queue.shift()) {
        builds.push(await buildOne(network))
      }
    }),
  )
  builds.sort((a, b) => networks.indexOf(a.network) - networks.indexOf(b.network))
  return { codegenSeconds, builds }
}

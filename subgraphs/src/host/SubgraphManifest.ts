import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type Abi, type AbiEvent, keccak256, toBytes, toEventSelector } from 'viem'
import { parse } from 'yaml'
import { SubgraphError } from '../errors/SubgraphError.js'

/** One event handler of a data source, with the ABI event it decodes. */
export type ManifestEventHandler = { handler: string; topic0: `0x${string}`; event: AbiEvent }

/** A context value as the manifest declares it (`{ type, data }`). */
export type ManifestContextValue = { type: string; data: unknown }

/** A data source or template of a built manifest (build/subgraph.yaml). */
export type ManifestSource = {
  name: string
  /** Lowercase address; undefined for templates. */
  address: `0x${string}` | undefined
  startBlock: bigint
  context: Record<string, ManifestContextValue>
  /** Compiled mapping (absolute path). */
  wasmFile: string
  /** ABI name -> ABI, for ethereum.call bindings. */
  abis: Map<string, Abi>
  eventHandlers: ManifestEventHandler[]
  /** Handlers of `blockHandlers` with `filter: { kind: once }`. */
  onceHandlers: string[]
}

/** A built subgraph: what graph-node would load from IPFS. */
export type SubgraphManifest = {
  dataSources: ManifestSource[]
  templates: Map<string, ManifestSource>
}

type RawSource = {
  name: string
  source: { address?: string; abi: string; startBlock?: number }
  context?: Record<string, ManifestContextValue>
  mapping: {
    file: string
    abis: { name: string; file: string }[]
    eventHandlers?: { event: string; handler: string }[]
    blockHandlers?: { handler: string; filter?: { kind: string } }[]
  }
}

function loadSource(raw: RawSource, dir: string): ManifestSource {
  const abis = new Map<string, Abi>()
  for (const { name, file } of raw.mapping.abis)
    abis.set(name, JSON.parse(readFileSync(join(dir, file), 'utf8')))
  const sourceAbi = abis.get(raw.source.abi) ?? []
  const eventHandlers = (raw.mapping.eventHandlers ?? []).map(({ event, handler }) => {
    // The manifest's signature marks indexed inputs; the topic is over the plain types.
    const topic0 = keccak256(toBytes(event.replace(/indexed /g, '')))
    const abiEvent = sourceAbi.find(
      (item): item is AbiEvent => item.type === 'event' && toEventSelector(item) === topic0,
    )
    if (!abiEvent) {
      throw new SubgraphError(`Event ${event} of ${raw.name} is not in ABI ${raw.source.abi}.`, {
        metaMessages: ['Regenerate the ABIs (`pnpm abis`) and check the manifest signature.'],
      })
    }
    return { handler, topic0, event: abiEvent }
  })
  return {
    name: raw.name,
    address: raw.source.address?.toLowerCase() as `0x${string}` | undefined,
    startBlock: BigInt(raw.source.startBlock ?? 0),
    context: raw.context ?? {},
    wasmFile: join(dir, raw.mapping.file),
    abis,
    eventHandlers,
    onceHandlers: (raw.mapping.blockHandlers ?? [])
      .filter((b) => b.filter?.kind === 'once')
      .map((b) => b.handler),
  }
}

/**
 * Loads a built subgraph (`graph build` output: build/subgraph.yaml, the .wasm files and ABIs).
 *
 * @param manifestFile Path of the built subgraph.yaml.
 * @returns Data sources and templates with their handlers resolved to ABI events and topics.
 * @example
 * ```ts
 * const manifest = loadSubgraphManifest('/tmp/ballast-subgraph/build/ballast-devnet-31337/subgraph.yaml')
 * manifest.dataSources[0]?.eventHandlers.map((h) => h.handler) // ['handlePoolCreated', …]
 * ```
 */
export function loadSubgraphManifest(manifestFile: string): SubgraphManifest {
  const dir = dirname(manifestFile)
  const raw = parse(readFileSync(manifestFile, 'utf8')) as {
    dataSources: RawSource[]
    templates?: RawSource[]
  }
  return {
    dataSources: raw.dataSources.map((s) => loadSource(s, dir)),
    templates: new Map((raw.templates ?? []).map((t) => [t.name, loadSource(t, dir)])),
  }
}

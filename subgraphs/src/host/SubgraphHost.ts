import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  type AbiEvent,
  type Block,
  createPublicClient,
  decodeEventLog,
  type Hex,
  hexToBytes,
  http,
  type Log,
  type PublicClient,
  type Transaction,
} from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'
import { type AscExports, AscMemory, TypeId } from './AscMemory.js'
import { componentsOf, newEthValue } from './ascValues.js'
import { EntityStore, type StoredEntity, type StoreValue } from './EntityStore.js'
import { createHostFunctions, type EthCallResult, type HostRun } from './hostFunctions.js'
import { loadSubgraphManifest, type ManifestContextValue, type ManifestSource } from './SubgraphManifest.js'
import { loadSubgraphSchema } from './SubgraphSchema.js'

/** A data source the host runs: a static one, or one created from a template. */
type ActiveSource = {
  source: ManifestSource
  address: `0x${string}`
  startBlock: bigint
  context: StoredEntity
  onceDone: boolean
}

type FullBlock = Block<bigint, true, 'latest'>

/** Counters of what an `indexTo` did, for tests and benchmarks. */
export type SubgraphHostStats = {
  blocks: number
  events: number
  handlerRuns: number
  /** Runs repeated because an eth_call result had to be fetched first. */
  replays: number
  ethCalls: number
  /** Reorgs detected and reverted. */
  reorgs: number
}

export type CreateSubgraphHostParameters = {
  /** A built network's folder (`build/<network>` of `buildSubgraph`), holding subgraph.yaml. */
  buildDir: string
  /** The network name `dataSource.network()` answers. */
  network: string
  /** JSON-RPC URL of the chain (logs, blocks and eth_call). */
  rpcUrl: string
}

function contextEntity(context: Record<string, ManifestContextValue>): StoredEntity {
  const entity: StoredEntity = new Map()
  for (const [key, { type, data }] of Object.entries(context)) {
    const value: StoreValue | undefined =
      type === 'String'
        ? { kind: 'String', value: String(data) }
        : type === 'Int'
          ? { kind: 'Int', value: Number(data) }
          : type === 'BigInt'
            ? { kind: 'BigInt', value: BigInt(String(data)) }
            : type === 'Bool'
              ? { kind: 'Bool', value: Boolean(data) }
              : type === 'Bytes'
                ? { kind: 'Bytes', value: String(data).toLowerCase() as Hex }
                : undefined
    if (!value) throw new SubgraphError(`Unsupported context type "${type}" for "${key}".`)
    entity.set(key, value)
  }
  return entity
}

function isRevert(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (/revert/i.test(e.message) || (e as { code?: number }).code === 3) return true
  }
  return false
}

/**
 * Runs a built subgraph's WASM mappings in Node the way graph-node does, over a chain's real logs:
 * static data sources and templates, `once` block handlers, one fresh instance per handler run
 * (`_start()` first), graph-node's host functions, and an in-memory store that checks every entity
 * against schema.graphql. `ethereum.call` answers from the chain at the handled block; the host
 * functions are synchronous, so a run that needs a result not fetched yet is rolled back, the calls
 * are made, and the run is replayed (handlers are deterministic, so the replay is the real run).
 *
 * graph-node is not available here; this host is the edge that replaces it in tests.
 *
 * @example
 * ```ts
 * const host = await SubgraphHost.create({ buildDir, network: 'ballast-devnet-31337', rpcUrl })
 * await host.indexTo(await client.getBlockNumber())
 * host.store.list('Token') // [{ id: '0x…', kind: 'reserve', totalSupply: 1000000n, … }]
 * ```
 */
export class SubgraphHost {
  readonly store: EntityStore
  readonly logs: { level: number; message: string }[] = []
  readonly stats: SubgraphHostStats = {
    blocks: 0,
    events: 0,
    handlerRuns: 0,
    replays: 0,
    ethCalls: 0,
    reorgs: 0,
  }
  private readonly sources: ActiveSource[]
  private readonly modules = new Map<string, WebAssembly.Module>()
  private readonly calls = new Map<string, EthCallResult>()
  private nextBlock: bigint
  /** Hash and timestamp of every block handled, and of the indexed head (for `_meta` and block pins). */
  private readonly blockInfo = new Map<bigint, { hash: Hex; timestamp: bigint }>()
  private indexedHead: bigint | undefined

  private constructor(
    private readonly manifest: ReturnType<typeof loadSubgraphManifest>,
    private readonly network: string,
    private readonly client: PublicClient,
    schemaFile: string,
  ) {
    this.store = new EntityStore(loadSubgraphSchema(schemaFile))
    this.sources = manifest.dataSources.map((source) => {
      if (!source.address) throw new SubgraphError(`Data source ${source.name} has no address.`)
      return {
        source,
        address: source.address,
        startBlock: source.startBlock,
        context: contextEntity(source.context),
        onceDone: false,
      }
    })
    if (this.sources.length === 0) throw new SubgraphError('The subgraph has no data source.')
    this.nextBlock = this.firstBlock()
  }

  /** Loads the built subgraph and connects to the chain (nothing is indexed yet). */
  static async create(parameters: CreateSubgraphHostParameters): Promise<SubgraphHost> {
    const manifestFile = join(parameters.buildDir, 'subgraph.yaml')
    const manifest = loadSubgraphManifest(manifestFile)
    const client = createPublicClient({ transport: http(parameters.rpcUrl), cacheTime: 0 })
    return new SubgraphHost(
      manifest,
      parameters.network,
      client,
      join(dirname(manifestFile), 'schema.graphql'),
    )
  }

  /** Addresses of every running data source (static and created), lowercase. */
  get dataSources(): { name: string; address: `0x${string}`; startBlock: bigint }[] {
    return this.sources.map((s) => ({ name: s.source.name, address: s.address, startBlock: s.startBlock }))
  }

  /**
   * Handles every trigger up to and including `toBlock` (from where the last call stopped).
   *
   * @param toBlock Last block to index.
   */
  async indexTo(toBlock: bigint): Promise<void> {
    await this.revertReorged()
    let from = this.nextBlock
    while (from <= toBlock) {
      const addresses = [...new Set(this.sources.map((s) => s.address))]
      const logs = await this.client.getLogs({ address: addresses, fromBlock: from, toBlock })
      const blocks = new Set(logs.map((l) => l.blockNumber))
      for (const s of this.sources) {
        if (
          !s.onceDone &&
          s.source.onceHandlers.length > 0 &&
          s.startBlock >= from &&
          s.startBlock <= toBlock
        ) {
          blocks.add(s.startBlock)
        }
      }
      let next = toBlock + 1n
      for (const block of [...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const created = await this.processBlock(
          block,
          logs.filter((l) => l.blockNumber === block),
        )
        // New data sources: fetch logs again from the next block, now including their addresses.
        if (created) {
          next = block + 1n
          break
        }
      }
      from = next
    }
    if (toBlock + 1n > this.nextBlock) this.nextBlock = toBlock + 1n
    const head = await this.client.getBlock({ blockNumber: toBlock })
    this.blockInfo.set(toBlock, { hash: head.hash, timestamp: head.timestamp })
    this.indexedHead = toBlock
  }

  /**
   * Checks the blocks handled so far against the chain, newest first; when the head's hash changed
   * (a reorg), reverts to the newest block that still matches: entity versions, data sources created
   * and eth_call answers after it are dropped, and indexing resumes after it (graph-node's revert).
   */
  private async revertReorged(): Promise<void> {
    if (this.indexedHead === undefined) return
    const known = [...this.blockInfo.keys()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))
    let fork: bigint | undefined
    for (const number of known) {
      const onChain = await this.client.getBlock({ blockNumber: number }).catch(() => undefined)
      if (onChain?.hash === this.blockInfo.get(number)!.hash) {
        fork = number
        break
      }
    }
    if (fork === this.indexedHead) return
    const base = fork ?? this.firstBlock() - 1n
    this.stats.reorgs++
    this.store.revertTo(base)
    for (let i = this.sources.length - 1; i >= 0; i--) {
      const s = this.sources[i]!
      if (s.source.onceHandlers.length > 0 && s.startBlock > base) s.onceDone = false
      if (this.manifest.templates.has(s.source.name) && s.startBlock > base) this.sources.splice(i, 1)
    }
    for (const number of known) if (number > base) this.blockInfo.delete(number)
    for (const key of this.calls.keys())
      if (BigInt(key.slice(0, key.indexOf(':'))) > base) this.calls.delete(key)
    this.nextBlock = base + 1n
    this.indexedHead = fork
  }

  /** The earliest start block of the static data sources. */
  private firstBlock(): bigint {
    let min = this.sources[0]!.startBlock
    for (const s of this.sources) if (s.startBlock < min) min = s.startBlock
    return min
  }

  /** The last indexed block (undefined before the first `indexTo`). */
  get head(): { number: bigint; hash: Hex; timestamp: bigint } | undefined {
    if (this.indexedHead === undefined) return undefined
    const info = this.blockInfo.get(this.indexedHead)!
    return { number: this.indexedHead, ...info }
  }

  /** Hash and timestamp of a block the host handled or stopped at. */
  block(number: bigint): { hash: Hex; timestamp: bigint } | undefined {
    return this.blockInfo.get(number)
  }

  /** Number of a block the host handled or stopped at, by hash. */
  blockNumberOf(hash: Hex): bigint | undefined {
    for (const [number, info] of this.blockInfo) if (info.hash === hash.toLowerCase()) return number
    return undefined
  }

  private async processBlock(number: bigint, logs: Log<bigint, number, false>[]): Promise<boolean> {
    this.stats.blocks++
    const block = (await this.client.getBlock({
      blockNumber: number,
      includeTransactions: true,
    })) as FullBlock
    const before = this.sources.length
    for (const s of this.sources) {
      if (s.onceDone || s.startBlock !== number) continue
      for (const handler of s.source.onceHandlers) {
        await this.run(s, handler, block, (mem) => newBlock(mem, block))
      }
      s.onceDone = true
    }
    let active = this.sources.slice()
    let pending = logs.sort((a, b) => a.logIndex - b.logIndex)
    let seen = 0
    for (;;) {
      for (const log of pending) {
        for (const s of active) {
          if (s.address !== log.address.toLowerCase() || number < s.startBlock) continue
          const handler = s.source.eventHandlers.find((h) => h.topic0 === log.topics[0])
          if (!handler) continue
          this.stats.events++
          await this.run(s, handler.handler, block, (mem) => newEvent(mem, log, block, handler.event))
        }
      }
      // graph-node processes a new data source's triggers of the block that created it.
      const created = this.sources.slice(before + seen)
      if (created.length === 0) break
      seen += created.length
      active = created
      const addresses = [...new Set(created.map((s) => s.address))]
      pending = (await this.client.getLogs({ address: addresses, fromBlock: number, toBlock: number })).sort(
        (a, b) => a.logIndex - b.logIndex,
      )
    }
    return this.sources.length > before
  }

  private module(file: string): WebAssembly.Module {
    let module = this.modules.get(file)
    if (!module) {
      module = new WebAssembly.Module(readFileSync(file))
      this.modules.set(file, module)
    }
    return module
  }

  private async run(
    source: ActiveSource,
    handler: string,
    block: FullBlock,
    arg: (mem: AscMemory) => number,
  ): Promise<void> {
    const module = this.module(source.source.wasmFile)
    for (let attempt = 1; ; attempt++) {
      // Each replay answers at least one more call; a handler needing this many is a runaway loop.
      if (attempt > 1_000) {
        throw new SubgraphError(`Handler ${source.source.name}.${handler} kept making new eth_calls.`, {
          details: `${attempt - 1} runs at block ${block.number}.`,
        })
      }
      this.stats.handlerRuns++
      const missing = new Map<string, { to: `0x${string}`; data: Hex }>()
      const created: ActiveSource[] = []
      let memory: AscMemory | undefined
      const run: HostRun = {
        mem: () => memory!,
        store: this.store,
        dataSource: {
          address: source.address,
          network: this.network,
          context: source.context,
          abis: source.source.abis,
        },
        createDataSource: (name, params, context) => {
          const template = this.manifest.templates.get(name)
          if (!template) throw new SubgraphError(`Unknown template "${name}".`)
          const address = params[0]?.toLowerCase() as `0x${string}`
          created.push({ source: template, address, startBlock: block.number, context, onceDone: true })
        },
        ethCall: (to, data) => {
          const key = `${block.number}:${to}:${data}`
          if (this.calls.has(key)) return this.calls.get(key)
          missing.set(key, { to, data })
          return undefined
        },
        log: (level, message) => this.logs.push({ level, message }),
      }
      const functions = createHostFunctions(run)
      const imports: WebAssembly.Imports = {}
      for (const i of WebAssembly.Module.imports(module)) {
        if (i.kind !== 'function') continue
        const fn =
          functions[i.name] ??
          (() => {
            throw new SubgraphError(`Host function ${i.name} is not implemented by the test host.`)
          })
        imports[i.module] = { ...imports[i.module], [i.name]: fn }
      }
      const instance = new WebAssembly.Instance(module, imports)
      const exports = instance.exports as AscExports & Record<string, (ptr: number) => void>
      memory = new AscMemory(exports)
      let failure: unknown
      try {
        exports._start()
        const fn = exports[handler]
        if (typeof fn !== 'function')
          throw new SubgraphError(`Handler ${handler} is not exported by the mapping.`)
        fn(arg(memory))
      } catch (error) {
        failure = error
      }
      if (missing.size > 0) {
        // A speculative run (some eth_call had no answer yet): fetch and replay from scratch.
        this.store.rollback()
        this.stats.replays++
        await Promise.all(
          [...missing].map(([key, { to, data }]) => this.fetchCall(key, to, data, block.number)),
        )
        continue
      }
      if (failure !== undefined) {
        this.store.rollback()
        throw new SubgraphError(`Handler ${source.source.name}.${handler} failed at block ${block.number}.`, {
          details: failure instanceof Error ? failure.message : String(failure),
          cause: failure,
        })
      }
      this.store.commit(block.number)
      this.sources.push(...created)
      return
    }
  }

  private async fetchCall(key: string, to: `0x${string}`, data: Hex, blockNumber: bigint): Promise<void> {
    this.stats.ethCalls++
    try {
      const result = await this.client.call({ to, data, blockNumber })
      // An empty answer (no code, or no return data) is what graph-node reports as a revert.
      this.calls.set(
        key,
        !result.data || result.data === '0x' ? { reverted: true } : { reverted: false, data: result.data },
      )
    } catch (error) {
      if (!isRevert(error)) throw error
      this.calls.set(key, { reverted: true })
    }
  }
}

const big = (mem: AscMemory, value: bigint | number | null | undefined) =>
  value === null || value === undefined ? 0 : mem.newBigInt(BigInt(value))
const bytes = (mem: AscMemory, hex: Hex | null | undefined) => (hex ? mem.newBytes(hexToBytes(hex)) : 0)

/** `ethereum.Block` (graph-ts field order). */
function newBlock(mem: AscMemory, block: FullBlock): number {
  return mem.newObject(
    [
      bytes(mem, block.hash),
      bytes(mem, block.parentHash),
      bytes(mem, block.sha3Uncles),
      bytes(mem, block.miner),
      bytes(mem, block.stateRoot),
      bytes(mem, block.transactionsRoot),
      bytes(mem, block.receiptsRoot),
      big(mem, block.number),
      big(mem, block.gasUsed),
      big(mem, block.gasLimit),
      big(mem, block.timestamp),
      big(mem, block.difficulty),
      big(mem, block.totalDifficulty ?? 0n),
      big(mem, block.size),
      big(mem, block.baseFeePerGas),
    ],
    TypeId.EthereumBlock,
  )
}

/** `ethereum.Transaction` (graph-ts field order). */
function newTransaction(mem: AscMemory, tx: Transaction | undefined, hash: Hex): number {
  return mem.newObject(
    [
      bytes(mem, hash),
      big(mem, tx?.transactionIndex ?? 0),
      bytes(mem, tx?.from ?? `0x${'00'.repeat(20)}`),
      bytes(mem, tx?.to ?? null),
      big(mem, tx?.value ?? 0n),
      big(mem, tx?.gas ?? 0n),
      big(mem, tx?.gasPrice ?? 0n),
      bytes(mem, tx?.input ?? '0x'),
      big(mem, tx?.nonce ?? 0),
    ],
    TypeId.EthereumTransaction,
  )
}

/** `ethereum.Event` with its decoded parameters (receipt not requested, so null). */
function newEvent(
  mem: AscMemory,
  log: Log<bigint, number, false>,
  block: FullBlock,
  event: AbiEvent,
): number {
  const decoded = decodeEventLog({
    abi: [event],
    data: log.data,
    topics: log.topics as [Hex, ...Hex[]],
    strict: true,
  })
  const args = decoded.args as unknown as Record<string, unknown> | readonly unknown[]
  const params = event.inputs.map((input, i) => {
    const value = Array.isArray(args) ? args[i] : (args as Record<string, unknown>)[input.name ?? '']
    const dynamic =
      input.type === 'string' ||
      input.type === 'bytes' ||
      input.type.endsWith(']') ||
      input.type.startsWith('tuple')
    // An indexed dynamic value is only its hash in the topic.
    const ptr =
      input.indexed && dynamic
        ? newEthValue(mem, 'bytes32', undefined, value)
        : newEthValue(mem, input.type, componentsOf(input), value)
    return mem.newObject([mem.newString(input.name ?? ''), ptr], TypeId.EventParam)
  })
  const tx = block.transactions.find((t) => t.hash === log.transactionHash)
  return mem.newObject(
    [
      mem.newBytes(hexToBytes(log.address)),
      mem.newBigInt(BigInt(log.logIndex)),
      // RPC nodes do not return transactionLogIndex; graph-node then uses the log index too.
      mem.newBigInt(BigInt(log.logIndex)),
      0,
      newBlock(mem, block),
      newTransaction(mem, tx, log.transactionHash!),
      mem.newArray(params, TypeId.ArrayEventParam),
      0,
    ],
    TypeId.EthereumEvent,
  )
}

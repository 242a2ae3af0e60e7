import { bloomMayMatch } from './bloomMayMatch.js'
import type { BlockHeader, ChainRpc, RpcLog } from './createChainRpc.js'
import { classifyRpcError } from './RpcError.js'

type HashFilter = Pick<Parameters<ChainRpc['getLogsByBlockHash']>[0], 'address' | 'topics'>

/** The filter in two halves of its longest list (addresses or a topic OR-list), or undefined when none has two values. */
function halve(filter: HashFilter): [HashFilter, HashFilter] | undefined {
  const address = [...(filter.address as readonly `0x${string}`[])]
  const topics = [...((filter.topics ?? []) as readonly unknown[])]
  let longest = -1
  let length = address.length
  topics.forEach((t, i) => {
    if (Array.isArray(t) && t.length > length) {
      longest = i
      length = t.length
    }
  })
  if (length < 2) return undefined
  const cut = <T>(list: readonly T[]) => [
    list.slice(0, Math.ceil(list.length / 2)),
    list.slice(Math.ceil(list.length / 2)),
  ]
  if (longest < 0) {
    const [a, b] = cut(address)
    return [
      { ...filter, address: a as HashFilter['address'] },
      { ...filter, address: b as HashFilter['address'] },
    ]
  }
  const [a, b] = cut(topics[longest] as readonly unknown[])
  const withTopic = (list: unknown[]) => {
    const next = [...topics]
    next[longest] = list
    return { ...filter, topics: next as HashFilter['topics'] }
  }
  return [withTopic(a as unknown[]), withTopic(b as unknown[])]
}

/** A block's logs by hash; a filter the node refuses as too big is asked in halves. */
async function logsByHash(rpc: ChainRpc, filter: HashFilter, blockHash: `0x${string}`): Promise<RpcLog[]> {
  try {
    return await rpc.getLogsByBlockHash({ ...filter, blockHash })
  } catch (error) {
    const halves = classifyRpcError(error).family === 'filter-too-big' ? halve(filter) : undefined
    if (halves === undefined) throw error
    return (await Promise.all(halves.map((h) => logsByHash(rpc, h, blockHash)))).flat()
  }
}

/** Whether a log is one the filter asks for: its emitter listed, and each constrained topic one of the values. */
function logMatches(filter: HashFilter, log: RpcLog): boolean {
  const address = log.address.toLowerCase()
  if (!(filter.address as readonly string[]).some((a) => a.toLowerCase() === address)) return false
  return ((filter.topics ?? []) as readonly (string | readonly string[] | null)[]).every((t, i) => {
    if (t === null) return true
    const topic = log.topics[i]?.toLowerCase()
    return typeof t === 'string'
      ? t.toLowerCase() === topic
      : t.length === 0 || t.some((v) => v.toLowerCase() === topic)
  })
}

/** Newest blocks of a range re-read by hash when a number-range answer had no log of them. */
export const RECHECK_DEPTH = 2

/**
 * Re-reads by block hash (EIP-234) the newest blocks of a realtime range for which the
 * number-range `eth_getLogs` answer held no log of a filter (each filter apart), before the cursor passes them: a node behind a
 * load balancer may answer `[]` for a block it has the header of but not yet the receipts
 * (REALWORLD.md, "an answer of HTTP 200 with logs missing, or `[]` for the newest block"). A
 * query by hash names exactly the block whose header was checked, so its answer is that block's.
 * A block whose logs bloom rules the filter out is not re-read (a bloom has no false negatives).
 *
 * @param rpc The chain's client.
 * @param filters The range's filters (each asked by hash; a log two filters match is kept once).
 * @param headers The range's headers, in order (the linked blocks about to be stored).
 * @param logs The range's logs from the number-range call.
 * @param depth How many of the newest blocks to re-check (default {@link RECHECK_DEPTH}).
 * @returns The range's logs, with any the hash query found merged in chain order.
 * @example
 * ```ts
 * const logs = await recheckNewestBlocks(rpc, [filter], headers, await rpc.getLogs({ ...filter, fromBlock, toBlock }))
 * ```
 */
export async function recheckNewestBlocks(
  rpc: ChainRpc,
  filters: readonly HashFilter[],
  headers: readonly BlockHeader[],
  logs: RpcLog[],
  depth: number = RECHECK_DEPTH,
): Promise<RpcLog[]> {
  const asked = filters.filter((f) => f.address.length > 0)
  if (asked.length === 0) return logs
  const newest = headers.slice(-depth)
  const have = new Set(logs.map((l) => `${l.blockHash}:${l.logIndex}`))
  const unique = new Map<string, RpcLog>()
  for (const filter of asked) {
    // Per filter: behind a load balancer each filter's call may meet another backend, so a block
    // with another filter's logs may still lack this one's. Only blocks whose bloom may hold this
    // filter's logs are re-read (all when a node gives no bloom): with holder-scoped filters
    // nearly every block's bloom rules the re-read out.
    const seen = new Set(logs.filter((l) => logMatches(filter, l)).map((l) => Number(l.blockNumber)))
    const maybe = newest.filter(
      (h) => !seen.has(h.number) && (h.logsBloom === undefined || bloomMayMatch(h.logsBloom, filter)),
    )
    const lists = await Promise.all(maybe.map((h) => logsByHash(rpc, filter, h.hash)))
    lists.forEach((list, i) => {
      for (const l of list) {
        const key = `${l.blockHash}:${l.logIndex}`
        if (l.removed !== true && l.blockHash === (maybe[i] as BlockHeader).hash && !have.has(key))
          unique.set(key, l)
      }
    })
  }
  const found = [...unique.values()]
  if (found.length === 0) return logs
  return [...logs, ...found].sort(
    (a, b) => Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex),
  )
}

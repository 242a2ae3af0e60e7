import type { Address, Hex } from 'viem'
import type { SubgraphSnapshot } from '../client/readSubgraph.js'

/** The subgraph's answers over several chains, in the shapes the custom indexer's queries return. */
export type SubgraphState = {
  /** Active members' holders' balances of reserve tokens and vault shares. */
  balances: { chainId: number; token: Address; holder: Address; amount: bigint }[]
  /** Liability token and vault share supplies per chain. */
  supplies: { chainId: number; token: Address; supply: bigint }[]
  /** OFT sends on any chain whose guid was not received on any chain. */
  inFlight: { guid: Hex; srcChainId: number; amountSentLD: bigint }[]
  /** Latest round per feed. */
  prices: { chainId: number; feed: Address; answer: bigint; roundId: bigint }[]
  /** Per (chain, pool, asset): the update in force at `timestamp` (latest effectiveAt <= it, then latest logged). */
  riskParameters: (timestamp: number) => {
    chainId: number
    poolId: Hex
    asset: Address
    haircutFloorBps: number
    liquidationThresholdBps: number
    liquidationHorizon: number
    effectiveAt: number
  }[]
}

const order = <T extends { chainId: number }>(rows: T[], key: (r: T) => string): T[] =>
  rows.sort((a, b) => a.chainId - b.chainId || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

/** A reference field's id (`{ id }` in graph-node's JSON). */
const ref = (value: unknown): string => String((value as { id: string } | null)?.id)

/**
 * Reads per-chain subgraph snapshots (graph-node JSON from `readSubgraph`, one per chain's
 * deployment) into the custom indexer's query shapes, so the two can be compared field by field:
 * this is what Ballast computes from subgraph endpoints instead of RPC.
 *
 * @param snapshots Chain id -> that chain's subgraph read at one block.
 * @returns Balances, supplies, in-flight transfers, prices and risk parameters.
 * @example
 * ```ts
 * const state = subgraphState(new Map([[31337, await readSubgraph({ url, schema })]]))
 * state.inFlight.map((t) => t.guid)
 * ```
 */
export function subgraphState(snapshots: ReadonlyMap<number, SubgraphSnapshot>): SubgraphState {
  const all = (type: string): (Record<string, unknown> & { chainId: number })[] =>
    [...snapshots].flatMap(([chainId, snapshot]) =>
      (snapshot.entities[type] ?? []).map((e) => ({ ...e, chainId })),
    )
  const kinds = new Map(all('Token').map((t) => [`${t.chainId}:${String(t.id)}`, String(t.kind)]))
  const activeHolders = new Set(
    all('Holder')
      .filter((h) => h.active)
      .map((h) => `${h.chainId}:${String(h.id)}`),
  )
  const balances = all('Balance')
    .filter((b) => activeHolders.has(`${b.chainId}:${ref(b.holder)}`))
    .map((b) => ({
      chainId: b.chainId,
      token: ref(b.token) as Address,
      holder: ref(b.holder) as Address,
      amount: BigInt(String(b.amount)),
    }))
  const supplies = all('Token')
    .filter((t) => kinds.get(`${t.chainId}:${String(t.id)}`) !== 'reserve')
    .map((t) => ({ chainId: t.chainId, token: t.id as Address, supply: BigInt(String(t.totalSupply)) }))
  const received = new Set(all('OftReceived').map((r) => r.id as Hex))
  const inFlight = all('OftSent')
    .filter((s) => !received.has(s.id as Hex))
    .map((s) => ({ guid: s.id as Hex, srcChainId: s.chainId, amountSentLD: BigInt(String(s.amountSentLD)) }))
  const prices = all('PriceFeed').map((f) => ({
    chainId: f.chainId,
    feed: f.id as Address,
    answer: BigInt(String(f.answer)),
    roundId: BigInt(String(f.roundId)),
  }))
  const updates = all('RiskParameterUpdate').map((u) => ({
    chainId: u.chainId,
    poolId: String(u.pool).toLowerCase() as Hex,
    asset: String(u.asset) as Address,
    haircutFloorBps: Number(u.haircutFloorBps),
    liquidationThresholdBps: Number(u.liquidationThresholdBps),
    liquidationHorizon: Number(u.liquidationHorizon),
    effectiveAt: BigInt(String(u.effectiveAt)),
    blockNumber: BigInt(String(u.blockNumber)),
    logIndex: BigInt(String(u.logIndex)),
  }))
  const riskParameters = (timestamp: number) => {
    const inForce = new Map<string, (typeof updates)[number]>()
    const sorted = updates
      .filter((u) => Number(u.effectiveAt) <= timestamp)
      .sort(
        (a, b) =>
          Number(a.effectiveAt - b.effectiveAt) ||
          Number(a.blockNumber - b.blockNumber) ||
          Number(a.logIndex - b.logIndex),
      )
    for (const u of sorted) inForce.set(`${u.chainId}:${u.poolId}:${u.asset}`, u)
    return order(
      [...inForce.values()].map((u) => ({
        chainId: u.chainId,
        poolId: u.poolId,
        asset: u.asset,
        haircutFloorBps: u.haircutFloorBps,
        liquidationThresholdBps: u.liquidationThresholdBps,
        liquidationHorizon: u.liquidationHorizon,
        effectiveAt: Number(u.effectiveAt),
      })),
      (r) => `${r.poolId}:${r.asset}`,
    )
  }
  return {
    balances: order(balances, (b) => `${b.token}:${b.holder}`),
    supplies: order(supplies, (s) => s.token),
    inFlight: inFlight.sort((a, b) => (a.guid < b.guid ? -1 : 1)),
    prices: order(prices, (p) => p.feed),
    riskParameters,
  }
}

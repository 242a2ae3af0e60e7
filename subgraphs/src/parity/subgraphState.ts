import type { Address, Hex } from 'viem'
import type { SubgraphHost } from '../host/SubgraphHost.js'

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
  /** Per (chain, asset): the update in force at `timestamp` (latest effectiveAt <= it, then latest logged). */
  riskParameters: (timestamp: number) => {
    chainId: number
    asset: Address
    haircutFloorBps: number
    liquidationThresholdBps: number
    liquidationHorizon: number
    effectiveAt: number
  }[]
}

const order = <T extends { chainId: number }>(rows: T[], key: (r: T) => string): T[] =>
  rows.sort((a, b) => a.chainId - b.chainId || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

/**
 * Reads the subgraph hosts' entities (one host per chain) into the indexer's query shapes, so the
 * two pipelines can be compared field by field.
 *
 * @param hosts Chain id -> the host that indexed that chain.
 * @returns Balances, supplies, in-flight transfers, prices and risk parameters.
 * @example
 * ```ts
 * const state = subgraphState(new Map([[31337, hostA], [31338, hostB]]))
 * state.inFlight.map((t) => t.guid)
 * ```
 */
export function subgraphState(hosts: ReadonlyMap<number, SubgraphHost>): SubgraphState {
  const all = (type: string): (Record<string, unknown> & { chainId: number })[] =>
    [...hosts].flatMap(([chainId, host]) => host.store.list(type).map((e) => ({ ...e, chainId })))
  const kinds = new Map(all('Token').map((t) => [`${t.chainId}:${String(t.id)}`, String(t.kind)]))
  const activeHolders = new Set(
    all('Holder')
      .filter((h) => h.active)
      .map((h) => `${h.chainId}:${String(h.id)}`),
  )
  const balances = all('Balance')
    .filter((b) => activeHolders.has(`${b.chainId}:${String(b.holder)}`))
    .map((b) => ({
      chainId: b.chainId,
      token: b.token as Address,
      holder: b.holder as Address,
      amount: b.amount as bigint,
    }))
  const supplies = all('Token')
    .filter((t) => kinds.get(`${t.chainId}:${String(t.id)}`) !== 'reserve')
    .map((t) => ({ chainId: t.chainId, token: t.id as Address, supply: t.totalSupply as bigint }))
  const received = new Set(all('OftReceived').map((r) => r.id as Hex))
  const inFlight = all('OftSent')
    .filter((s) => !received.has(s.id as Hex))
    .map((s) => ({ guid: s.id as Hex, srcChainId: s.chainId, amountSentLD: s.amountSentLD as bigint }))
  const prices = all('PriceFeed').map((f) => ({
    chainId: f.chainId,
    feed: f.id as Address,
    answer: f.answer as bigint,
    roundId: f.roundId as bigint,
  }))
  const updates = all('RiskParameterUpdate')
  const riskParameters = (timestamp: number) => {
    const inForce = new Map<string, (typeof updates)[number]>()
    const sorted = updates
      .filter((u) => Number(u.effectiveAt) <= timestamp)
      .sort(
        (a, b) =>
          Number((a.effectiveAt as bigint) - (b.effectiveAt as bigint)) ||
          Number((a.blockNumber as bigint) - (b.blockNumber as bigint)) ||
          Number((a.logIndex as bigint) - (b.logIndex as bigint)),
      )
    for (const u of sorted) inForce.set(`${u.chainId}:${String(u.asset)}`, u)
    return order(
      [...inForce.values()].map((u) => ({
        chainId: u.chainId,
        asset: u.asset as Address,
        haircutFloorBps: u.haircutFloorBps as number,
        liquidationThresholdBps: u.liquidationThresholdBps as number,
        liquidationHorizon: Number(u.liquidationHorizon),
        effectiveAt: Number(u.effectiveAt),
      })),
      (r) => r.asset,
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

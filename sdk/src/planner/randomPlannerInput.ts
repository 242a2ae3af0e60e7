import type { PlannerInput, PlannerNode, PlannerRoute } from './PlannerInput.js'

/** Parameters of {@link randomPlannerInput}. */
export type RandomPlannerInputParameters = {
  seed: number
  /** Include fixed fees (the mixed-integer case). */
  fixedFees: boolean
  chains?: number | undefined
  assets?: number | undefined
  members?: number | undefined
  /** Every same-chain move free and both ways (members netted), as pool accounts allow. */
  freeInternal?: boolean | undefined
}

/**
 * A seeded random planner instance for property and optimality tests: 2-5 chains, 1-2 assets,
 * 0-2 members with same-chain routes between them, bridge routes on most chain pairs with random
 * capacities (some exhausted), proportional fees and, when asked, fixed fees. Assets have 0
 * decimals and a price of 1 USD so every cost is an integer number of micro-USD (exact in an
 * independent floating-point solver).
 *
 * @param parameters - seed and shape
 * @returns the instance
 * @example
 * ```ts
 * const input = randomPlannerInput({ seed: 7, fixedFees: true })
 * ```
 */
export function randomPlannerInput(parameters: RandomPlannerInputParameters): PlannerInput {
  const rand = mulberry32(parameters.seed)
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))
  const chainCount = parameters.chains ?? int(2, 5)
  const assetCount = parameters.assets ?? int(1, 2)
  const memberCount = parameters.members ?? int(0, 2)
  const chains = Array.from({ length: chainCount }, (_, i) => ({ chainId: 100 + i, name: `c${i}` }))
  const assets = Array.from({ length: assetCount }, (_, i) => ({
    symbol: `A${i}`,
    decimals: 0,
    priceUsd: 10n ** 18n,
  }))
  const members: (string | undefined)[] =
    memberCount === 0 ? [undefined] : Array.from({ length: memberCount }, (_, i) => `m${i}`)
  const nodes: PlannerNode[] = []
  const routes: PlannerRoute[] = []
  // Micro-USD to USD with 18 decimals.
  const micro = 10n ** 12n
  for (const asset of assets) {
    for (const chain of chains) {
      for (const member of members) {
        nodes.push({
          chainId: chain.chainId,
          asset: asset.symbol,
          ...(member === undefined ? {} : { member }),
          balance: BigInt(int(0, 1000)),
          target: BigInt(int(0, 800)),
        })
      }
      // Same-chain moves between members, both ways, cheap and instant.
      for (const a of members) {
        for (const b of members) {
          if (a === undefined || b === undefined || a === b) continue
          if (!parameters.freeInternal && rand() < 0.3) continue
          routes.push({
            asset: asset.symbol,
            from: { chainId: chain.chainId, member: a },
            to: { chainId: chain.chainId, member: b },
            // Half are free (no fee, unlimited): the planner nets those members first.
            feePpm: parameters.freeInternal || rand() < 0.5 ? 0n : BigInt(int(1, 200)),
            latencySeconds: 0,
          })
        }
      }
    }
    for (const from of chains) {
      for (const to of chains) {
        if (from === to) continue
        for (const member of members) {
          if (rand() < 0.35) continue
          const capacityRoll = rand()
          const ref = (chainId: number) => (member === undefined ? { chainId } : { chainId, member })
          routes.push({
            asset: asset.symbol,
            from: ref(from.chainId),
            to: ref(to.chainId),
            feePpm: BigInt(int(0, 3000)),
            ...(parameters.fixedFees ? { fixedFeeUsd: BigInt(int(0, 2_000_000)) * micro } : {}),
            ...(parameters.fixedFees && rand() < 0.5 ? { gasUsd: BigInt(int(0, 300_000)) * micro } : {}),
            latencySeconds: [30, 60, 120, 600][int(0, 3)]!,
            ...(capacityRoll < 0.4 ? {} : { capacity: capacityRoll < 0.45 ? 0n : BigInt(int(50, 700)) }),
          })
        }
      }
    }
  }
  return { chains, assets, nodes, routes }
}

/** Mulberry32: a tiny seeded PRNG, good enough for test instances. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

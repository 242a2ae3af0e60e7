// Rebalance planner at pool scale: 50 chains x 5 assets x 20 members. Members on a chain move funds
// through the chain's pool account (a relay node) with internal routes; pool accounts are linked by
// a full mesh of OFT bridge routes. Prints the graph size and solve times per objective.
import { type PlannerInput, type PlannerNode, type PlannerRoute, planRebalance } from '@ballast/sdk/planner'

const CHAINS = Number(process.env.PLANNER_BENCH_CHAINS ?? 50)
const ASSETS = 5
const MEMBERS = 20
const USD = 10n ** 18n

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

/** The pool: balances around targets with a random spread; fees, latencies and rate limits vary. */
export function poolInstance(seed: number, fixedFees: boolean): PlannerInput {
  const rand = mulberry32(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))
  const chains = Array.from({ length: CHAINS }, (_, i) => ({ chainId: 1000 + i, name: `chain${i}` }))
  const assets = [
    { symbol: 'USDC', decimals: 6, priceUsd: USD },
    { symbol: 'USDT', decimals: 6, priceUsd: USD },
    { symbol: 'WETH', decimals: 18, priceUsd: 3000n * USD, unit: 10n ** 12n },
    { symbol: 'WBTC', decimals: 8, priceUsd: 90_000n * USD, unit: 1n },
    { symbol: 'DAI', decimals: 18, priceUsd: USD, unit: 10n ** 12n },
  ].slice(0, ASSETS)
  const nodes: PlannerNode[] = []
  const routes: PlannerRoute[] = []
  for (const asset of assets) {
    const one = 10n ** BigInt(asset.decimals)
    for (const chain of chains) {
      nodes.push({ chainId: chain.chainId, asset: asset.symbol, balance: 0n, target: 0n })
      for (let m = 0; m < MEMBERS; m++) {
        const target = BigInt(int(1_000, 100_000)) * one
        const spread = BigInt(int(-40, 40))
        nodes.push({
          chainId: chain.chainId,
          asset: asset.symbol,
          member: `m${m}`,
          balance: (target * (100n + spread)) / 100n,
          target,
        })
        routes.push(
          {
            asset: asset.symbol,
            from: { chainId: chain.chainId, member: `m${m}` },
            to: { chainId: chain.chainId },
            latencySeconds: 0,
          },
          {
            asset: asset.symbol,
            from: { chainId: chain.chainId },
            to: { chainId: chain.chainId, member: `m${m}` },
            latencySeconds: 0,
          },
        )
      }
    }
    for (const from of chains) {
      for (const to of chains) {
        if (from === to) continue
        routes.push({
          asset: asset.symbol,
          from: { chainId: from.chainId },
          to: { chainId: to.chainId },
          feePpm: BigInt(int(0, 50) * 10),
          ...(fixedFees
            ? { fixedFeeUsd: BigInt(int(5, 300)) * 10n ** 16n, gasUsd: BigInt(int(1, 50)) * 10n ** 15n }
            : {}),
          latencySeconds: [30, 60, 180, 900][int(0, 3)]!,
          ...(rand() < 0.8 ? {} : { capacity: BigInt(int(10_000, 400_000)) * one }),
        })
      }
    }
  }
  return { chains, assets, nodes, routes }
}

/**
 * Wall and CPU time (this process's user + system) per run; the machine's other load shows in wall.
 * `warmUp` runs go first, uncounted (JIT tiers, heap growth); the fixed-fee cases take seconds, run
 * warm after the linear ones and skip them.
 */
function time<T>(runs: number, warmUp: number, f: () => T): { wall: number[]; cpu: number[]; result: T } {
  const wall: number[] = []
  const cpu: number[] = []
  let result = undefined as T
  for (let i = 0; i < warmUp; i++) result = f()
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage()
    const start = performance.now()
    result = f()
    wall.push(performance.now() - start)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  const sort = (xs: number[]) => xs.sort((a, b) => a - b)
  return { wall: sort(wall), cpu: sort(cpu), result }
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!
const fmt = (wall: number[], cpu: number[]) =>
  `CPU median ${median(cpu).toFixed(1)} ms (min ${cpu[0]!.toFixed(1)}), wall median ${median(wall).toFixed(1)} ms`

export async function run(): Promise<void> {
  const linear = poolInstance(1, false)
  const fixed = poolInstance(1, true)
  const bridgeRoutes = linear.routes.filter((r) => r.from.chainId !== r.to.chainId).length
  console.log(
    `graph: ${CHAINS} chains x ${ASSETS} assets x ${MEMBERS} members = ${linear.nodes.length} nodes ` +
      `(${CHAINS * ASSETS} pool relays), ${linear.routes.length} routes (${bridgeRoutes} bridge, ` +
      `${linear.routes.length - bridgeRoutes} internal); per asset ${linear.nodes.length / ASSETS} nodes, ` +
      `${linear.routes.length / ASSETS} arcs`,
  )
  // Linear cases: 11 runs for a median that holds on a busy machine; fixed-fee cases: 2 runs.
  const cases: Array<[string, PlannerInput, Parameters<typeof planRebalance>[1], number]> = [
    ['cheapest, proportional fees only (exact min-cost flow)', linear, {}, 11],
    ['fastest, proportional fees only', linear, { objective: 'fastest' }, 11],
    ['cheapest, fixed fees (default budget)', fixed, {}, 2],
    ['cheapest, fixed fees, heuristic only (maxBranchNodes 0)', fixed, { maxBranchNodes: 0 }, 2],
    ['fastest, fixed fees (default budget)', fixed, { objective: 'fastest' }, 2],
  ]
  for (const [name, input, options, runs] of cases) {
    const { wall, cpu, result } = time(runs, runs > 2 ? 3 : 0, () => planRebalance(input, options))
    const worstGap = Math.max(...result.optimality.map((o) => o.gap))
    const relaxations = result.optimality.reduce((s, o) => s + o.relaxations, 0)
    console.log(
      `${name}: ${fmt(wall, cpu)} (${runs} runs); ${result.transfers.length} transfers, ` +
        `cost $${(Number(result.totalCostUsd / 10n ** 14n) / 10_000).toFixed(2)}, slowest leg ${result.slowestLegSeconds} s, ` +
        `feasible ${result.feasible}, exact ${result.optimality.every((o) => o.exact)}, proven gap <= ${(worstGap * 100).toFixed(2)}%, ` +
        `${relaxations} relaxations`,
    )
  }
}

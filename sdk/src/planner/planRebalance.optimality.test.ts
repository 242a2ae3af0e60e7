import * as highsModule from 'highs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PlannerInput, PlannerRoute, PlanOptions } from './PlannerInput.js'
import { planRebalance } from './planRebalance.js'
import { randomPlannerInput } from './randomPlannerInput.js'

// Optimality against an independent solver: HiGHS (compiled to WebAssembly, used only here) solves
// the same problem written from the planner's *input* as a mixed-integer program, lexicographically
// (least total shortfall, then least cost). Instances have 0-decimal assets at 1 USD, so every cost
// is an integer number of micro-USD and exact in HiGHS's doubles.

// highs ships one CommonJS-typed .d.ts for both its CJS and ESM builds: under NodeNext TypeScript
// puts the loader at `default.default`, while at run time the ESM build exports it at `default`.
const highsLoader = highsModule.default as unknown as typeof highsModule.default.default
type Highs = Awaited<ReturnType<typeof highsLoader>>
let highs: Highs

beforeAll(async () => {
  highs = await highsLoader()
})

/**
 * Hundreds of HiGHS solves per case: 20-40 s each on an idle 2-core machine, more when it is
 * loaded (the default 60 s is too tight then).
 */
const HIGHS_CASE_TIMEOUT = 180_000

/** Micro-USD per USD-with-18-decimals unit. */
const MICRO = 10n ** 12n

type Reference = { shortfall: number; costMicroUsd: number; flows: number[] }

/**
 * The reference MIP, written independently of the planner's internals:
 *   f_r in [0, cap_r]; y_r binary where a route has a fixed cost or a minimum transfer
 *   (f_r <= cap_r y_r, f_r >= min y_r); z_p binary per chain pair and asset with routes both ways
 *   (forward f <= cap z, backward f <= cap (1 - z));
 *   per node: out - in <= surplus; in - out + short >= deficit.
 *   With minimum transfer sizes, plans are acyclic between places (a place is a node, or the
 *   members joined by free same-chain moves both ways, which settle among themselves): a binary
 *   u_r per route between places (f_r <= cap_r u_r) and a potential q per place with
 *   q_to >= q_from + 1 - P (1 - u_r) (Miller-Tucker-Zemlin), so no used route closes a circle.
 *   Without minimum sizes a circle never helps (cancelling it keeps every balance, costs no more).
 * Stage 1 minimises total shortfall; stage 2 fixes it and minimises ppm * f + fixed * y.
 */
function referenceOptimum(input: PlannerInput, options: PlanOptions, maxLatency = Infinity): Reference {
  const lines: string[] = []
  const bounds: string[] = []
  const binaries: string[] = []
  const costTerms: string[] = []
  const shortTerms: string[] = []
  const flowOut = new Map<string, string[]>()
  const flowIn = new Map<string, string[]>()
  const key = (chainId: number, asset: string, member?: string) => `${chainId}:${asset}:${member ?? ''}`
  const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v])
  const surplusOf = new Map<string, bigint>()
  for (const asset of input.assets) {
    surplusOf.set(
      asset.symbol,
      input.nodes
        .filter((n) => n.asset === asset.symbol)
        .reduce((s, n) => (n.balance > n.target ? s + n.balance - n.target : s), 0n),
    )
  }
  const pairs = new Map<string, { forward: number[]; backward: number[] }>()
  input.routes.forEach((r, i) => {
    const f = `f${i}`
    const cap = r.capacity ?? surplusOf.get(r.asset)!
    const allowed = r.latencySeconds <= maxLatency
    bounds.push(`0 <= ${f} <= ${allowed ? cap : 0n}`)
    push(flowOut, key(r.from.chainId, r.asset, r.from.member), f)
    push(flowIn, key(r.to.chainId, r.asset, r.to.member), f)
    const ppm = r.feePpm ?? (r.feeBps ?? 0n) * 100n
    costTerms.push(`${ppm} ${f}`)
    const fixed = ((r.fixedFeeUsd ?? 0n) + (r.gasUsd ?? 0n)) / MICRO
    // The minimum transfer size applies to bridge transfers only.
    const min = r.from.chainId === r.to.chainId ? 0n : (options.minTransfer?.[r.asset] ?? 0n)
    if (fixed > 0n || min > 1n) {
      const y = `y${i}`
      binaries.push(y)
      costTerms.push(`${fixed} ${y}`)
      lines.push(` cy${i}: ${f} - ${cap} ${y} <= 0`)
      if (min > 1n) lines.push(` my${i}: ${f} - ${min} ${y} >= 0`)
    }
    if (r.from.chainId !== r.to.chainId) {
      const low = Math.min(r.from.chainId, r.to.chainId)
      const high = Math.max(r.from.chainId, r.to.chainId)
      const p = pairs.get(`${r.asset}:${low}:${high}`) ?? { forward: [], backward: [] }
      ;(r.from.chainId === low ? p.forward : p.backward).push(i)
      pairs.set(`${r.asset}:${low}:${high}`, p)
    }
  })
  let zi = 0
  for (const p of pairs.values()) {
    if (p.forward.length === 0 || p.backward.length === 0) continue
    const z = `z${zi++}`
    binaries.push(z)
    for (const i of p.forward) {
      const cap = input.routes[i]!.capacity ?? surplusOf.get(input.routes[i]!.asset)!
      lines.push(` zf${i}: f${i} - ${cap} ${z} <= 0`)
    }
    for (const i of p.backward) {
      const cap = input.routes[i]!.capacity ?? surplusOf.get(input.routes[i]!.asset)!
      lines.push(` zb${i}: f${i} + ${cap} ${z} <= ${cap}`)
    }
  }
  if (options.minTransfer !== undefined) {
    // Places: union-find over free same-chain routes present both ways.
    const place = new Map<string, string>()
    const find = (k: string): string => {
      const p = place.get(k) ?? k
      if (p === k) return k
      const root = find(p)
      place.set(k, root)
      return root
    }
    const free = (r: PlannerRoute) =>
      r.from.chainId === r.to.chainId &&
      (r.feePpm ?? (r.feeBps ?? 0n) * 100n) === 0n &&
      (r.fixedFeeUsd ?? 0n) === 0n &&
      (r.gasUsd ?? 0n) === 0n &&
      r.capacity === undefined &&
      r.latencySeconds === 0
    const ends = (r: PlannerRoute) =>
      [key(r.from.chainId, r.asset, r.from.member), key(r.to.chainId, r.asset, r.to.member)] as const
    const freeKeys = new Set(input.routes.filter(free).map((r) => ends(r).join('>')))
    for (const r of input.routes) {
      const [a, b] = ends(r)
      if (free(r) && freeKeys.has(`${b}>${a}`)) place.set(find(a), find(b))
    }
    const places = [...new Set(input.nodes.map((n) => find(key(n.chainId, n.asset, n.member))))]
    const q = new Map(places.map((p, i) => [p, `q${i}`]))
    const P = places.length
    for (const v of q.values()) bounds.push(`0 <= ${v} <= ${P}`)
    input.routes.forEach((r, i) => {
      const [a, b] = ends(r)
      const from = find(a)
      const to = find(b)
      if (from === to) return
      const cap = r.capacity ?? surplusOf.get(r.asset)!
      binaries.push(`u${i}`)
      lines.push(` uf${i}: f${i} - ${cap} u${i} <= 0`)
      lines.push(` mtz${i}: ${q.get(to)} - ${q.get(from)} - ${P} u${i} >= ${1 - P}`)
    })
  }
  input.nodes.forEach((n, i) => {
    const k = key(n.chainId, n.asset, n.member)
    const out = flowOut.get(k) ?? []
    const inn = flowIn.get(k) ?? []
    const net = [...out.map((v) => `+ ${v}`), ...inn.map((v) => `- ${v}`)].join(' ')
    const surplus = n.balance > n.target ? n.balance - n.target : 0n
    if (net !== '') lines.push(` s${i}: ${net} <= ${surplus}`)
    if (n.target > n.balance) {
      const inflow = [...inn.map((v) => `+ ${v}`), ...out.map((v) => `- ${v}`)].join(' ')
      lines.push(` d${i}: ${inflow} + short${i} >= ${n.target - n.balance}`)
      shortTerms.push(`short${i}`)
    }
  })
  const model = (objective: string, extra: string[]) =>
    [
      'Minimize',
      ` obj: ${objective}`,
      'Subject To',
      ...lines,
      ...extra,
      ' keep: dummy >= 0',
      'Bounds',
      ...bounds,
      'Binary',
      ...binaries,
      'End',
    ].join('\n')
  const solve = (lp: string) => {
    const result = highs.solve(lp, { mip_rel_gap: 0, mip_abs_gap: 0, output_flag: false })
    expect(result.Status).toBe('Optimal')
    last = result
    return result.ObjectiveValue
  }
  let last: ReturnType<typeof highs.solve> | undefined
  const shortObjective = shortTerms.length === 0 ? '0 dummy' : shortTerms.join(' + ')
  const shortfall = Math.round(solve(model(shortObjective, [])))
  const costObjective = costTerms.length === 0 ? '0 dummy' : [...costTerms, '0 dummy'].join(' + ')
  const extra = shortTerms.length === 0 ? [] : [` stage1: ${shortTerms.join(' + ')} <= ${shortfall}`]
  // `|| 0` turns a -0 from the solver into 0.
  const costMicroUsd = Math.round(solve(model(costObjective, extra))) || 0
  const columns = (last as unknown as { Columns: Record<string, { Primal: number }> }).Columns
  const flows = input.routes.map((_r, i) => Math.round(columns[`f${i}`]?.Primal ?? 0))
  return { shortfall, costMicroUsd, flows }
}

function planned(input: PlannerInput, options: PlanOptions) {
  const plan = planRebalance(input, options)
  const shortfall = plan.nodes.reduce((s, n) => s + n.shortfall, 0n)
  return { plan, shortfall: Number(shortfall), costMicroUsd: Number(plan.totalCostUsd / MICRO) }
}

function expectNoBothWays(plan: ReturnType<typeof planRebalance>) {
  const seen = new Set<string>()
  for (const t of plan.transfers) {
    if (t.from.chainId === t.to.chainId) continue
    seen.add(`${t.asset}:${t.from.chainId}>${t.to.chainId}`)
  }
  for (const k of seen) {
    const [asset, pair] = k.split(':')
    const [from, to] = pair!.split('>')
    expect(seen.has(`${asset}:${to}>${from}`), `${asset} sent both ways between ${from} and ${to}`).toBe(
      false,
    )
  }
}

describe('planRebalance optimality against HiGHS', () => {
  it(
    'linear case: 200 seeded instances, shortfall and cost equal the optimum',
    () => {
      let withShortfall = 0
      for (let seed = 1; seed <= 200; seed++) {
        const input = randomPlannerInput({ seed, fixedFees: false })
        const reference = referenceOptimum(input, {})
        const ours = planned(input, {})
        expect({ seed, shortfall: ours.shortfall, cost: ours.costMicroUsd }).toEqual({
          seed,
          shortfall: reference.shortfall,
          cost: reference.costMicroUsd,
        })
        expect(ours.plan.optimality.every((o) => o.exact)).toBe(true)
        expectNoBothWays(ours.plan)
        if (reference.shortfall > 0) withShortfall++
      }
      // The generator must exercise both feasible and infeasible instances.
      expect(withShortfall).toBeGreaterThan(10)
      expect(withShortfall).toBeLessThan(190)
    },
    HIGHS_CASE_TIMEOUT,
  )

  it(
    'fixed-fee case: 200 seeded instances, branch and bound is exact; the heuristic gap is measured',
    () => {
      let largestHeuristicGap = 0
      let sumHeuristicGap = 0
      let comparable = 0
      let heuristicWorseShortfall = 0
      let exactCount = 0
      for (let seed = 1001; seed <= 1200; seed++) {
        const input = randomPlannerInput({ seed, fixedFees: true })
        const minTransfer = Object.fromEntries(input.assets.map((a, i) => [a.symbol, i === 0 ? 40n : 25n]))
        const options: PlanOptions = seed % 3 === 0 ? { minTransfer } : {}
        const reference = referenceOptimum(input, options)
        const ours = planned(input, options)
        expectNoBothWays(ours.plan)
        expect(ours.shortfall).toBe(reference.shortfall)
        if (ours.plan.optimality.every((o) => o.exact)) {
          exactCount++
          expect({ seed, cost: ours.costMicroUsd }).toEqual({ seed, cost: reference.costMicroUsd })
        } else {
          expect(ours.costMicroUsd).toBeGreaterThanOrEqual(reference.costMicroUsd)
        }
        const heuristic = planned(input, { ...options, maxBranchNodes: 0 })
        expectNoBothWays(heuristic.plan)
        expect(heuristic.shortfall).toBeGreaterThanOrEqual(reference.shortfall)
        if (heuristic.shortfall > reference.shortfall) {
          heuristicWorseShortfall++
          continue
        }
        expect(heuristic.costMicroUsd).toBeGreaterThanOrEqual(reference.costMicroUsd)
        if (reference.costMicroUsd > 0) {
          const gap = (heuristic.costMicroUsd - reference.costMicroUsd) / reference.costMicroUsd
          largestHeuristicGap = Math.max(largestHeuristicGap, gap)
          sumHeuristicGap += gap
          comparable++
        }
      }
      // Small instances fit the default budget: every one is proven optimal.
      expect(exactCount).toBe(200)
      console.log(
        `fixed-fee case: branch and bound exact on ${exactCount}/200 (largest gap 0); ` +
          `slope scaling alone: largest cost gap ${(largestHeuristicGap * 100).toFixed(2)}%, ` +
          `mean ${((sumHeuristicGap / Math.max(1, comparable)) * 100).toFixed(2)}%, ` +
          `worse shortfall on ${heuristicWorseShortfall}/200`,
      )
    },
    HIGHS_CASE_TIMEOUT,
  )

  it(
    'minimum sizes with netted members: 50 seeded instances, shortfall and cost equal the optimum',
    () => {
      let binding = 0
      for (let seed = 3001; seed <= 3050; seed++) {
        const input = randomPlannerInput({
          seed,
          fixedFees: seed % 2 === 0,
          members: 2,
          assets: 1,
          freeInternal: true,
        })
        const min = BigInt(20 + ((seed * 37) % 180))
        const options: PlanOptions = {
          minTransfer: Object.fromEntries(input.assets.map((a) => [a.symbol, min])),
        }
        const reference = referenceOptimum(input, options)
        const ours = planned(input, options)
        expectNoBothWays(ours.plan)
        expect(ours.plan.optimality.every((o) => o.exact)).toBe(true)
        expect({ seed, shortfall: ours.shortfall, cost: ours.costMicroUsd }).toEqual({
          seed,
          shortfall: reference.shortfall,
          cost: reference.costMicroUsd,
        })
        const unconstrained = referenceOptimum(input, {})
        if (
          unconstrained.shortfall !== reference.shortfall ||
          unconstrained.costMicroUsd !== reference.costMicroUsd
        ) {
          binding++
        }
      }
      // The minimum must change the optimum on a good share of them.
      expect(binding).toBeGreaterThan(12)
    },
    HIGHS_CASE_TIMEOUT,
  )

  it(
    'fastest: the slowest leg is the smallest that reaches the least shortfall, then cheapest',
    () => {
      for (let seed = 2001; seed <= 2060; seed++) {
        const input = randomPlannerInput({ seed, fixedFees: seed % 2 === 0 })
        const plan = planRebalance(input, { objective: 'fastest' })
        expectNoBothWays(plan)
        const shortfall = Number(plan.nodes.reduce((s, n) => s + n.shortfall, 0n))
        const best = referenceOptimum(input, {})
        expect(shortfall).toBe(best.shortfall)
        if (plan.transfers.length === 0) continue
        const slowest = plan.slowestLegSeconds
        const within = referenceOptimum(input, {}, slowest)
        expect(Number(plan.totalCostUsd / MICRO)).toBe(within.costMicroUsd)
        const faster = [30, 60, 120, 600].filter((l) => l < slowest).pop()
        if (faster !== undefined) {
          expect(referenceOptimum(input, {}, faster).shortfall).toBeGreaterThan(best.shortfall)
        }
      }
    },
    HIGHS_CASE_TIMEOUT,
  )
})

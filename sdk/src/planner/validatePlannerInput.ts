import { divRound } from '../money/divRound.js'
import type { PlannerAsset, PlannerInput, PlannerNode, PlannerRoute, PlanOptions } from './PlannerInput.js'
import { PlannerInputError } from './plannerErrors.js'
import { routeIdOf } from './routeIdOf.js'

/** A validated planner input, with the lookups the planner needs. */
export type CheckedInput = {
  assets: readonly PlannerAsset[]
  nodes: readonly PlannerNode[]
  routes: readonly PlannerRoute[]
  /** Position in `nodes` of each route's start and end (validated). */
  routeFrom: Int32Array
  routeTo: Int32Array
  chainName: (chainId: number) => string
  minTransfer: (asset: PlannerAsset) => bigint
}

/**
 * Checks a planner input and its options, and resolves every route's ends to input nodes.
 *
 * @param input - chains, assets, nodes and routes
 * @param options - the plan options (minimum transfer sizes, branch budget)
 * @returns the checked input with lookups
 * @throws {PlannerInputError} on negative amounts, unknown chains, assets or nodes, bad routes
 * @example
 * ```ts
 * const checked = validatePlannerInput(input, {})
 * ```
 */
export function validatePlannerInput(input: PlannerInput, options: PlanOptions): CheckedInput {
  const chains = new Map<number, string>()
  for (const c of input.chains) {
    if (!Number.isSafeInteger(c.chainId) || c.chainId <= 0) {
      throw new PlannerInputError('Invalid chain id.', {
        details: `chain id ${String(c.chainId)} is not a positive integer.`,
        metaMessages: ['Use the EVM chain id (e.g. 1 for Ethereum, 42161 for Arbitrum).'],
      })
    }
    if (chains.has(c.chainId)) {
      throw new PlannerInputError('Duplicate chain.', { details: `chain ${c.chainId} is listed twice.` })
    }
    chains.set(c.chainId, c.name ?? String(c.chainId))
  }
  const chainName = (chainId: number) => chains.get(chainId) ?? String(chainId)
  const assertChain = (chainId: number, where: Text) => {
    if (!chains.has(chainId)) {
      throw new PlannerInputError('Unknown chain.', {
        details: `${where} refers to chain ${chainId}, which is not in input.chains (${[...chains.keys()].join(', ') || 'none'}).`,
        metaMessages: [`Add { chainId: ${chainId} } to input.chains, or fix the chain id.`],
      })
    }
  }
  const assets = new Map<string, PlannerAsset>()
  for (const a of input.assets) {
    if (assets.has(a.symbol)) {
      throw new PlannerInputError('Duplicate asset.', { details: `asset ${a.symbol} is listed twice.` })
    }
    if (!Number.isInteger(a.decimals) || a.decimals < 0 || a.decimals > 77) {
      throw new PlannerInputError('Invalid asset decimals.', {
        details: `asset ${a.symbol} has decimals ${a.decimals}; expected an integer 0..77.`,
      })
    }
    if (a.priceUsd < 0n) {
      throw new PlannerInputError('Negative price.', {
        details: `asset ${a.symbol} has priceUsd ${a.priceUsd}.`,
        metaMessages: ['Prices are USD with 18 decimals, >= 0.'],
      })
    }
    if (a.unit !== undefined && a.unit <= 0n) {
      throw new PlannerInputError('Invalid transfer unit.', {
        details: `asset ${a.symbol} has unit ${a.unit}; expected > 0.`,
        metaMessages: ['Use the OFT decimal conversion rate, 10^(decimals - sharedDecimals), or 1.'],
      })
    }
    assets.set(a.symbol, a)
  }
  const assertAsset = (symbol: string, where: Text) => {
    if (!assets.has(symbol)) {
      throw new PlannerInputError('Unknown asset.', {
        details: `${where} refers to asset ${symbol}, which is not in input.assets (${[...assets.keys()].join(', ') || 'none'}).`,
        metaMessages: [`Add { symbol: '${symbol}', decimals, priceUsd } to input.assets.`],
      })
    }
  }
  // asset -> chain id -> member ('' for none) -> position in input.nodes: lookups without building
  // string keys.
  const index = new Map<string, Map<number, Map<string, number>>>()
  const nodeOf = (chainId: number, asset: string, member: string | undefined) =>
    index
      .get(asset)
      ?.get(chainId)
      ?.get(member ?? '')
  const checkNode = (n: PlannerNode) => {
    const where = lazyText(() => `node ${nodeLabel(n)}`)
    assertChain(n.chainId, where)
    assertAsset(n.asset, where)
    for (const [field, value] of [
      ['balance', n.balance],
      ['target', n.target],
    ] as const) {
      if (value < 0n) {
        throw new PlannerInputError(`Negative ${field}.`, {
          details: `${where} has ${field} ${value}.`,
          metaMessages: ['Balances and targets are base units >= 0.'],
        })
      }
    }
    if (nodeOf(n.chainId, n.asset, n.member) !== undefined) {
      throw new PlannerInputError('Duplicate node.', { details: `${where} is listed twice.` })
    }
  }
  input.nodes.forEach((n, position) => {
    // The checks (and their messages) run in full only for a node that fails one.
    if (
      !chains.has(n.chainId) ||
      !assets.has(n.asset) ||
      n.balance < 0n ||
      n.target < 0n ||
      nodeOf(n.chainId, n.asset, n.member) !== undefined
    ) {
      checkNode(n)
    }
    let byChain = index.get(n.asset)
    if (byChain === undefined) {
      byChain = new Map()
      index.set(n.asset, byChain)
    }
    let byMember = byChain.get(n.chainId)
    if (byMember === undefined) {
      byMember = new Map()
      byChain.set(n.chainId, byMember)
    }
    byMember.set(n.member ?? '', position)
  })
  const routeFrom = new Int32Array(input.routes.length)
  const routeTo = new Int32Array(input.routes.length)
  const checkRoute = (r: PlannerRoute) => {
    const where = lazyText(() => `route ${routeIdOf(r)} (${r.asset})`)
    assertAsset(r.asset, where)
    assertChain(r.from.chainId, where)
    assertChain(r.to.chainId, where)
    for (const end of [r.from, r.to]) {
      if (nodeOf(end.chainId, r.asset, end.member) === undefined) {
        throw new PlannerInputError('Route to an unknown node.', {
          details: `${where} refers to node ${nodeLabel({ ...end, asset: r.asset })}, which is not in input.nodes.`,
          metaMessages: ['Add the node (balance 0n, target 0n for a pure relay), or fix the route.'],
        })
      }
    }
    if (r.from.chainId === r.to.chainId && r.from.member === r.to.member) {
      throw new PlannerInputError('Route from a node to itself.', {
        details: `${where} starts where it ends.`,
      })
    }
    if (r.kind === 'internal' && r.from.chainId !== r.to.chainId) {
      throw new PlannerInputError('Internal route between chains.', {
        details: `${where} is internal but goes from chain ${r.from.chainId} to ${r.to.chainId}.`,
        metaMessages: ['Internal routes move funds between members on one chain; use kind "bridge".'],
      })
    }
    if (r.kind === 'bridge' && r.from.chainId === r.to.chainId) {
      throw new PlannerInputError('Bridge route on one chain.', {
        details: `${where} is a bridge route but starts and ends on chain ${r.from.chainId}.`,
        metaMessages: ['Same-chain moves between members are kind "internal".'],
      })
    }
    if (r.feeBps !== undefined && r.feePpm !== undefined) {
      throw new PlannerInputError('Both feeBps and feePpm set.', {
        details: `${where} has feeBps ${r.feeBps} and feePpm ${r.feePpm}.`,
        metaMessages: ['Give the proportional fee once (1 bps = 100 ppm).'],
      })
    }
    const negative =
      (r.fixedFeeUsd ?? 0n) < 0n ||
      (r.gasUsd ?? 0n) < 0n ||
      (r.feePpm ?? 0n) < 0n ||
      (r.feeBps ?? 0n) < 0n ||
      (r.capacity ?? 0n) < 0n
    if (negative) {
      for (const [field, value] of [
        ['fixedFeeUsd', r.fixedFeeUsd],
        ['gasUsd', r.gasUsd],
        ['feePpm', r.feePpm],
        ['feeBps', r.feeBps],
        ['capacity', r.capacity],
      ] as const) {
        if (value !== undefined && value < 0n) {
          throw new PlannerInputError(`Negative ${field}.`, {
            details: `${where} has ${field} ${value}.`,
            metaMessages: ['Fees and capacities are >= 0 (a capacity of 0 means the route is exhausted).'],
          })
        }
      }
    }
    if (!Number.isFinite(r.latencySeconds) || r.latencySeconds < 0) {
      throw new PlannerInputError('Invalid latency.', {
        details: `${where} has latencySeconds ${r.latencySeconds}; expected a finite number >= 0.`,
      })
    }
  }
  input.routes.forEach((r, i) => {
    const from = nodeOf(r.from.chainId, r.asset, r.from.member)
    const to = nodeOf(r.to.chainId, r.asset, r.to.member)
    const sameChain = r.from.chainId === r.to.chainId
    // The checks (and their messages) run in full only for a route that fails one; ends that
    // exist imply a known asset and known chains.
    if (
      from === undefined ||
      to === undefined ||
      (sameChain && r.from.member === r.to.member) ||
      (r.kind === 'internal' && !sameChain) ||
      (r.kind === 'bridge' && sameChain) ||
      (r.feeBps !== undefined && r.feePpm !== undefined) ||
      (r.fixedFeeUsd !== undefined && r.fixedFeeUsd < 0n) ||
      (r.gasUsd !== undefined && r.gasUsd < 0n) ||
      (r.feePpm !== undefined && r.feePpm < 0n) ||
      (r.feeBps !== undefined && r.feeBps < 0n) ||
      (r.capacity !== undefined && r.capacity < 0n) ||
      !Number.isFinite(r.latencySeconds) ||
      r.latencySeconds < 0
    ) {
      checkRoute(r)
    }
    routeFrom[i] = from!
    routeTo[i] = to!
  })
  for (const [symbol, min] of Object.entries(options.minTransfer ?? {})) {
    assertAsset(symbol, 'options.minTransfer')
    if (min < 0n) {
      throw new PlannerInputError('Negative minimum transfer.', {
        details: `minTransfer.${symbol} is ${min}.`,
      })
    }
  }
  if (options.minTransferUsd !== undefined && options.minTransferUsd < 0n) {
    throw new PlannerInputError('Negative minimum transfer.', {
      details: `minTransferUsd is ${options.minTransferUsd}.`,
    })
  }
  if (
    options.maxBranchNodes !== undefined &&
    (!Number.isSafeInteger(options.maxBranchNodes) || options.maxBranchNodes < 0)
  ) {
    throw new PlannerInputError('Invalid branch-and-bound budget.', {
      details: `maxBranchNodes is ${options.maxBranchNodes}; expected an integer >= 0.`,
    })
  }
  return {
    assets: [...assets.values()],
    nodes: input.nodes,
    routes: input.routes,
    routeFrom,
    routeTo,
    chainName,
    minTransfer: (asset) => {
      let min = options.minTransfer?.[asset.symbol] ?? 0n
      if (options.minTransferUsd !== undefined && asset.priceUsd > 0n) {
        const fromUsd = divRound(
          options.minTransferUsd * 10n ** BigInt(asset.decimals),
          asset.priceUsd,
          'ceil',
        )
        if (fromUsd > min) min = fromUsd
      }
      return min
    },
  }
}

function nodeLabel(n: { chainId: number; asset: string; member?: string | undefined }): string {
  return `${n.chainId}/${n.asset}${n.member === undefined ? '' : `/${n.member}`}`
}

/** A string, or a value that renders as one in template literals. */
type Text = string | { toString: () => string }

/** A string computed when first rendered (template literals call `toString`). */
function lazyText(make: () => string): Text {
  return { toString: make }
}

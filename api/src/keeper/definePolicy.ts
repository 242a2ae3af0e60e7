import { parseDecimal } from '@ballast/sdk'
import { type Address, isAddress, isHex } from 'viem'
import { maxRiskPaths } from '../figures/riskArguments.js'
import type {
  ActionPolicy,
  KeeperPolicy,
  LimitsPolicy,
  ResolvedAction,
  ResolvedComposition,
  ResolvedLimits,
  ResolvedPolicy,
  ResolvedSwapVenue,
  ResolvedTrigger,
  TriggerPolicy,
} from './KeeperPolicy.js'
import { PolicyError } from './PolicyError.js'

const TRIGGER_KINDS = [
  'pooled-ratio-below',
  'member-ratio-below',
  'liquidity-coverage-below',
  'volatile-share-above',
  'haircut-above',
  'stale-price',
  'liability-off-peg',
  'in-flight-longer-than',
] as const
const ACTION_KINDS = ['rebalance', 'alert', 'governance'] as const
const ROUTE = /^(\d+)->(\d+)$/

/**
 * Validates a keeper policy (from TypeScript or parsed JSON: the same checks) and resolves its
 * decimal strings to exact bigints. Every problem throws a {@link PolicyError} naming the field.
 *
 * @param policy - The policy as written.
 * @returns The resolved policy.
 * @throws {PolicyError} On the first bad field.
 * @example
 * ```ts
 * export default definePolicy({
 *   name: 'alpha treasury', pool: '0x…', treasury: { 31337: '0x…' },
 *   triggers: [{ kind: 'liquidity-coverage-below', level: '1' }],
 *   actions: [{ kind: 'rebalance' }, { kind: 'alert' }],
 *   limits: { perActionUsd: '100000', perDayUsd: '250000', cooldownSeconds: 3600 },
 * })
 * ```
 */
export function definePolicy(policy: KeeperPolicy): ResolvedPolicy {
  const p = object(policy, 'policy')
  const name = text(p.name, 'name')
  const pool = bytes32(p.pool, 'pool')
  const treasuryEntries = Object.entries(object(p.treasury, 'treasury'))
  if (treasuryEntries.length === 0) {
    throw new PolicyError('treasury', 'must name the treasury address on at least one chain', {
      hint: 'treasury: { "1": "0x…" } (chain id to the Safe or account holding the reserves)',
    })
  }
  const treasury = new Map<number, Address>()
  for (const [key, address] of treasuryEntries) {
    treasury.set(chainIdKey(key, `treasury.${key}`), checkAddress(address, `treasury.${key}`))
  }
  const safeLibraries = new Map<number, { multiSendCallOnly: Address; simulateTxAccessor: Address }>()
  for (const [key, libs] of Object.entries(
    p.safeLibraries === undefined ? {} : object(p.safeLibraries, 'safeLibraries'),
  )) {
    const f = `safeLibraries.${key}`
    const l = object(libs, f)
    safeLibraries.set(chainIdKey(key, f), {
      multiSendCallOnly: checkAddress(l.multiSendCallOnly, `${f}.multiSendCallOnly`),
      simulateTxAccessor: checkAddress(l.simulateTxAccessor, `${f}.simulateTxAccessor`),
    })
  }
  const triggers = list(p.triggers, 'triggers', 1).map((t, i) => resolveTrigger(t as TriggerPolicy, i))
  unique(
    triggers.map((t) => t.id),
    'triggers',
  )
  const triggerIds = new Set(triggers.map((t) => t.id))
  const actions = list(p.actions, 'actions', 1).map((a, i) =>
    resolveAction(a as ActionPolicy, i, triggerIds, treasury),
  )
  unique(
    actions.map((a) => a.id),
    'actions',
  )
  return { name, pool, treasury, safeLibraries, triggers, actions, limits: resolveLimits(p.limits, treasury) }
}

function resolveTrigger(trigger: TriggerPolicy, i: number): ResolvedTrigger {
  const f = `triggers[${i}]`
  const t = object(trigger, f)
  const kind = oneOf(t.kind, `${f}.kind`, TRIGGER_KINDS)
  const id = t.id === undefined ? `${kind}#${i}` : text(t.id, `${f}.id`)
  switch (kind) {
    case 'pooled-ratio-below':
      return { id, kind, ratio: fraction(t.ratio, `${f}.ratio`, 100n) }
    case 'member-ratio-below':
      return {
        id,
        kind,
        member: bytes32(t.member, `${f}.member`),
        ratio: fraction(t.ratio, `${f}.ratio`, 100n),
      }
    case 'liquidity-coverage-below':
      return {
        id,
        kind,
        chainId: t.chainId === undefined ? undefined : integer(t.chainId, `${f}.chainId`, 1),
        level: fraction(t.level, `${f}.level`, 100n),
      }
    case 'volatile-share-above':
      return {
        id,
        kind,
        stable: list(t.stable, `${f}.stable`, 1).map((s, k) => text(s, `${f}.stable[${k}]`)),
        share: fraction(t.share, `${f}.share`, 1n),
      }
    case 'haircut-above':
      return {
        id,
        kind,
        asset: text(t.asset, `${f}.asset`),
        haircut: fraction(t.haircut, `${f}.haircut`, 1n),
      }
    case 'stale-price':
      return { id, kind }
    case 'liability-off-peg':
      return { id, kind, deviation: fraction(t.deviation, `${f}.deviation`, 1n) }
    case 'in-flight-longer-than':
      return { id, kind, seconds: integer(t.seconds, `${f}.seconds`, 1) }
  }
}

function resolveAction(
  action: ActionPolicy,
  i: number,
  triggerIds: ReadonlySet<string>,
  treasury: ReadonlyMap<number, Address>,
): ResolvedAction {
  const f = `actions[${i}]`
  const a = object(action, f)
  const kind = oneOf(a.kind, `${f}.kind`, ACTION_KINDS)
  const id = a.id === undefined ? `${kind}#${i}` : text(a.id, `${f}.id`)
  const when =
    a.when === undefined
      ? undefined
      : list(a.when, `${f}.when`, 1).map((w, k) => {
          const ref = text(w, `${f}.when[${k}]`)
          if (!triggerIds.has(ref)) {
            throw new PolicyError(`${f}.when[${k}]`, 'names no trigger of this policy', {
              value: ref,
              hint: `Known triggers: ${[...triggerIds].join(', ')}.`,
            })
          }
          return ref
        })
  if (kind === 'alert') return { id, when, kind }
  if (kind === 'governance') {
    return {
      id,
      when,
      kind,
      assets:
        a.asset === undefined
          ? undefined
          : list(a.asset, `${f}.asset`, 1).map((s, k) => text(s, `${f}.asset[${k}]`)),
      target: probability(a.target, `${f}.target`),
      horizonDays: a.horizonDays === undefined ? 10 : integer(a.horizonDays, `${f}.horizonDays`, 1, 365),
      paths: a.paths === undefined ? 10_000 : integer(a.paths, `${f}.paths`, 100, maxRiskPaths),
      seed: a.seed === undefined ? 1 : integer(a.seed, `${f}.seed`, 0, 2 ** 31 - 1),
    }
  }
  const objective =
    a.objective === undefined
      ? 'cheapest'
      : oneOf(a.objective, `${f}.objective`, ['cheapest', 'fastest'] as const)
  return {
    id,
    when,
    kind,
    asset: text(a.asset, `${f}.asset`),
    objective,
    slippageBps: a.slippageBps === undefined ? 0 : integer(a.slippageBps, `${f}.slippageBps`, 0, 10_000),
    minTransferUsd:
      a.minTransferUsd === undefined ? 100n * 10n ** 18n : usd(a.minTransferUsd, `${f}.minTransferUsd`),
    fixedFeeUsd: a.fixedFeeUsd === undefined ? 10n ** 17n : usd(a.fixedFeeUsd, `${f}.fixedFeeUsd`),
    latencySeconds: a.latencySeconds === undefined ? 60 : integer(a.latencySeconds, `${f}.latencySeconds`, 0),
    ...resolveSwaps(a, f, treasury),
  }
}

/** The swap part of a rebalance action: venues and the composition limit they serve, or neither. */
// biome-ignore lint/suspicious/noExplicitAny: read field by field from untyped JSON
function resolveSwaps(a: Record<string, any>, f: string, treasury: ReadonlyMap<number, Address>) {
  const swapDeadlineSeconds =
    a.swapDeadlineSeconds === undefined
      ? 3_600
      : integer(a.swapDeadlineSeconds, `${f}.swapDeadlineSeconds`, 60, 30 * 86_400)
  if (a.venues === undefined) {
    if (a.composition !== undefined) {
      throw new PolicyError(`${f}.composition`, 'needs venues to swap through', {
        hint: 'Add venues: [{ chainId, pair, router, assets: ["WETH", "USDC"] }], or remove the composition limit.',
      })
    }
    return { venues: [], composition: undefined, swapDeadlineSeconds }
  }
  const venues: ResolvedSwapVenue[] = list(a.venues, `${f}.venues`, 1).map((venue, k) => {
    const g = `${f}.venues[${k}]`
    const v = object(venue, g)
    const chainId = integer(v.chainId, `${g}.chainId`, 1)
    if (!treasury.has(chainId)) {
      throw new PolicyError(`${g}.chainId`, `is chain ${chainId}, which has no treasury address`, {
        value: chainId,
        hint: 'The treasury sells through a venue on its own chain: add the chain to treasury.',
      })
    }
    const pair = list(v.assets, `${g}.assets`, 2).map((s, n) => text(s, `${g}.assets[${n}]`))
    if (pair.length !== 2 || pair[0] === pair[1]) {
      throw new PolicyError(`${g}.assets`, 'must name the pair’s two different assets', { value: v.assets })
    }
    const assets = [pair[0]!, pair[1]!] as const
    return {
      id: v.id === undefined ? `${chainId}:${assets[0]}/${assets[1]}` : text(v.id, `${g}.id`),
      chainId,
      pair: checkAddress(v.pair, `${g}.pair`),
      router: checkAddress(v.router, `${g}.router`),
      assets,
      feeBps: v.feeBps === undefined ? 30 : integer(v.feeBps, `${g}.feeBps`, 0, 9_999),
    }
  })
  unique(
    venues.map((v) => v.id),
    `${f}.venues`,
  )
  if (a.composition === undefined) {
    throw new PolicyError(`${f}.composition`, 'is required with venues: it is what the swaps serve', {
      hint: 'composition: { maxVolatileShare: "0.4", stable: ["USDC"] }',
    })
  }
  const c = object(a.composition, `${f}.composition`)
  const share = fraction(c.maxVolatileShare, `${f}.composition.maxVolatileShare`, 1n)
  const stable = list(c.stable, `${f}.composition.stable`, 1).map((s, k) =>
    text(s, `${f}.composition.stable[${k}]`),
  )
  const volatile = [...new Set(venues.flatMap((v) => v.assets))].filter((s) => !stable.includes(s))
  if (volatile.length === 0) {
    throw new PolicyError(`${f}.composition.stable`, 'lists every asset of the venues: nothing to sell', {
      value: stable,
      hint: 'List only the stable assets; the venues’ other assets count as volatile.',
    })
  }
  const chainId = c.chainId === undefined ? undefined : integer(c.chainId, `${f}.composition.chainId`, 1)
  if (chainId !== undefined && !treasury.has(chainId)) {
    throw new PolicyError(`${f}.composition.chainId`, `is chain ${chainId}, which has no treasury address`, {
      value: chainId,
    })
  }
  const composition: ResolvedComposition = {
    // Basis points: the planner's unit; finer shares would be rounded, so they are refused.
    maxVolatileShareBps: bps(share, `${f}.composition.maxVolatileShare`, c.maxVolatileShare),
    stable,
    volatile,
    chainId,
  }
  return { venues, composition, swapDeadlineSeconds }
}

function bps(wad: bigint, field: string, value: unknown): bigint {
  const unit = 10n ** 14n
  if (wad % unit !== 0n) {
    throw new PolicyError(field, 'must be a whole number of basis points (at most 4 decimals)', { value })
  }
  return wad / unit
}

function resolveLimits(limits: LimitsPolicy, treasury: ReadonlyMap<number, Address>): ResolvedLimits {
  const l = object(limits, 'limits')
  const perActionUsd = usd(l.perActionUsd, 'limits.perActionUsd')
  const perDayUsd = usd(l.perDayUsd, 'limits.perDayUsd')
  const keyed = (value: unknown, field: string, check: (key: string, f: string) => void) =>
    new Map(
      Object.entries(value === undefined ? {} : object(value, field)).map(([key, amount]) => {
        check(key, `${field}.${key}`)
        return [key, usd(amount, `${field}.${key}`)] as const
      }),
    )
  const routeKey = (key: string, f: string) => {
    const m = ROUTE.exec(key)
    if (m === null || m[1] === m[2]) {
      throw new PolicyError(f, 'must name a route "<fromChainId>-><toChainId>" between two chains', {
        value: key,
      })
    }
    for (const id of [m[1]!, m[2]!]) {
      if (!treasury.has(Number(id))) {
        throw new PolicyError(f, `uses chain ${id}, which has no treasury address`, {
          value: key,
          hint: 'Add the chain to treasury, or remove the route.',
        })
      }
    }
  }
  const allowedRoutes =
    l.allowedRoutes === undefined
      ? undefined
      : new Set(
          list(l.allowedRoutes, 'limits.allowedRoutes', 1).map((r, k) => {
            const route = text(r, `limits.allowedRoutes[${k}]`)
            routeKey(route, `limits.allowedRoutes[${k}]`)
            return route
          }),
        )
  const allowedVenues =
    l.allowedVenues === undefined
      ? undefined
      : new Set(
          list(l.allowedVenues, 'limits.allowedVenues', 0).map((v, k) =>
            text(v, `limits.allowedVenues[${k}]`),
          ),
        )
  return {
    perActionUsd,
    perDayUsd,
    perRouteUsd: keyed(l.perRouteUsd, 'limits.perRouteUsd', routeKey),
    perAssetUsd: keyed(l.perAssetUsd, 'limits.perAssetUsd', () => {}),
    cooldownSeconds: integer(l.cooldownSeconds, 'limits.cooldownSeconds', 0),
    allowedRoutes,
    allowedVenues,
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a policy is read field by field from untyped JSON
function object(value: unknown, field: string): Record<string, any> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyError(field, 'must be an object', { value })
  }
  return value as Record<string, unknown>
}

function list(value: unknown, field: string, min: number): unknown[] {
  if (!Array.isArray(value) || value.length < min) {
    throw new PolicyError(field, `must be a list of at least ${min}`, { value })
  }
  return value
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new PolicyError(field, 'must be a non-empty string', { value })
  return value
}

function oneOf<const T extends readonly string[]>(value: unknown, field: string, options: T): T[number] {
  if (typeof value !== 'string' || !options.includes(value)) {
    throw new PolicyError(field, `must be one of ${options.map((o) => `"${o}"`).join(', ')}`, { value })
  }
  return value as T[number]
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new PolicyError(field, `must be an integer from ${min} to ${max}`, { value })
  }
  return value
}

/** A decimal string as WAD, in `[0, max]`. */
function fraction(value: unknown, field: string, max: bigint): bigint {
  const wad = decimal(value, field, 'a decimal string such as "1.25"')
  if (wad < 0n || wad > max * 10n ** 18n) throw new PolicyError(field, `must be from 0 to ${max}`, { value })
  return wad
}

/** A probability in (0, 0.5) as a decimal string (the sdk's Monte Carlo takes a float). */
function probability(value: unknown, field: string): number {
  const wad = decimal(value, field, 'a decimal string such as "0.01"')
  if (wad <= 0n || wad >= 5n * 10n ** 17n) {
    throw new PolicyError(field, 'must be a probability between 0 and 0.5 (exclusive)', {
      value,
      hint: 'E.g. "0.01" for a 1% probability of insolvency within the horizon.',
    })
  }
  return Number(value)
}

/** Dollars as a decimal string, to USD with 18 decimals, >= 0. */
function usd(value: unknown, field: string): bigint {
  const amount = decimal(value, field, 'a decimal string of dollars such as "250000"')
  if (amount < 0n) throw new PolicyError(field, 'must not be negative', { value })
  return amount
}

function decimal(value: unknown, field: string, what: string): bigint {
  if (typeof value !== 'string') {
    throw new PolicyError(field, `must be ${what}`, {
      value,
      hint: 'Amounts and ratios are strings so that JSON keeps them exact.',
    })
  }
  try {
    return parseDecimal(value, 18)
  } catch {
    throw new PolicyError(field, `must be ${what} with at most 18 decimals`, { value })
  }
}

function bytes32(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isHex(value) || value.length !== 66) {
    throw new PolicyError(field, 'must be a bytes32 hex id (0x followed by 64 hex digits)', { value })
  }
  return value.toLowerCase()
}

function checkAddress(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new PolicyError(field, 'must be a 20-byte hex address', { value })
  }
  return value.toLowerCase() as Address
}

function chainIdKey(key: string, field: string): number {
  if (!/^[1-9]\d*$/.test(key)) throw new PolicyError(field, 'must be keyed by a chain id', { value: key })
  return Number(key)
}

function unique(ids: readonly string[], field: string): void {
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) throw new PolicyError(field, `has the id "${id}" twice`, { value: id })
    seen.add(id)
  }
}

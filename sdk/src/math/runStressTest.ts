import { divRound } from '../money/divRound.js'
import { WAD } from '../money/wad.js'
import type { Member, PoolState } from '../state/PoolState.js'
import { validatePoolState } from '../state/validatePoolState.js'
import { type EvaluatePoolOptions, evaluatePool, type PoolEvaluation } from './evaluatePool.js'
import { ReserveMathError } from './ReserveMathError.js'
import { resolveAssetPrices } from './resolveAssetPrices.js'
import { type StressScenario, stressScenarios } from './stressScenarios.js'

/** Base and stressed ratio of one member or chain. Ratios WAD (null without liabilities); USD 18 decimals. */
export type StressDelta = {
  id: string
  baseRatio: bigint | null
  stressedRatio: bigint | null
  baseAdjustedReservesUsd: bigint
  stressedAdjustedReservesUsd: bigint
  stressedLiabilitiesUsd: bigint
}

/** What `runStressTest` returns. */
export type StressTestResult = {
  scenario: StressScenario
  /** Scenario symbols the state has no erc20 asset for (ignored). */
  unmatchedSymbols: string[]
  base: PoolEvaluation
  stressed: PoolEvaluation
  /** Whether the stressed pooled ratio is below the pool's minimum. */
  breachesMinimum: boolean
  /** Whether stressed liabilities exceed stressed adjusted reserves (ratio < 1). */
  insolvent: boolean
  members: StressDelta[]
  chains: StressDelta[]
}

/**
 * Runs a deterministic stress scenario: shocks prices (`P' = P * (1 + shock)`, or a depeg price),
 * keeps the base haircuts, then applies the redemption run-off (each member pays `r * L'_m` at par
 * out of its reserves pro rata: holdings scale by `1 - min(1, r L'_m / AR'_m)`, liabilities by
 * `1 - r`), and evaluates the pool again. Results per member, chain and pool.
 * Source: deterministic scenario analysis as in Basel III LCR (run-off rates) and the Fed's CCAR.
 *
 * @param state - The pool state.
 * @param scenario - A scenario, or the name of one in `stressScenarios`.
 * @param options - `evaluatePool` options (pool id, haircut model).
 * @returns Base and stressed evaluations with per-member and per-chain ratios.
 * @example
 * ```ts
 * runStressTest(examplePoolState(), 'eth-crash-40').stressed.reserveRatio // 1_063_513_513_513_513_513n (1,180,500 / 1,110,000)
 * ```
 */
export function runStressTest(
  state: PoolState,
  scenario: StressScenario | string,
  options: EvaluatePoolOptions = {},
): StressTestResult {
  const s = typeof scenario === 'string' ? findScenario(scenario) : scenario
  if (options.validate !== false) validatePoolState(state)
  const base = evaluatePool(state, { ...options, validate: false })
  const haircuts = new Map(base.haircuts.map((h) => [h.asset, h]))
  const { overrides, unmatched } = shockedPrices(state, s)
  const common = { ...options, validate: false, haircuts, priceOverrides: overrides }

  let stressedState = state
  const runOff = s.runOffRate ?? 0n
  if (runOff < 0n || runOff > WAD) {
    throw new ReserveMathError('Run-off rate out of range.', {
      details: `${s.name}.runOffRate = ${runOff}; expected 0 to 1e18 (WAD).`,
      metaMessages: ['25% is 250000000000000000n.'],
    })
  }
  if (runOff > 0n) {
    const shocked = evaluatePool(state, { ...common, sensitivities: false })
    const byId = new Map(shocked.members.map((m) => [m.memberId, m]))
    stressedState = {
      ...state,
      members: state.members.map((m) => {
        const e = byId.get(m.id)
        return e === undefined ? m : runOffMember(m, runOff, e.adjustedReservesUsd, e.liabilitiesUsd)
      }),
    }
  }
  const stressed = evaluatePool(stressedState, common)
  const pair = <
    T extends { adjustedReservesUsd: bigint; reserveRatio: bigint | null; liabilitiesUsd: bigint },
  >(
    id: string,
    b: T | undefined,
    x: T | undefined,
  ): StressDelta => ({
    id,
    baseRatio: b?.reserveRatio ?? null,
    stressedRatio: x?.reserveRatio ?? null,
    baseAdjustedReservesUsd: b?.adjustedReservesUsd ?? 0n,
    stressedAdjustedReservesUsd: x?.adjustedReservesUsd ?? 0n,
    stressedLiabilitiesUsd: x?.liabilitiesUsd ?? 0n,
  })
  return {
    scenario: s,
    unmatchedSymbols: unmatched,
    base,
    stressed,
    breachesMinimum: stressed.belowMinimum,
    insolvent: stressed.adjustedReservesUsd < stressed.liabilitiesUsd,
    members: base.members.map((m, i) => pair(m.memberId, m, stressed.members[i])),
    chains: base.chains.map((c, i) => pair(String(c.chainId), c, stressed.chains[i])),
  }
}

/**
 * Looks up a named scenario of `stressScenarios`.
 *
 * @param name - E.g. `eth-crash-40`.
 * @returns The scenario; throws `ReserveMathError` listing the known names otherwise.
 * @example
 * ```ts
 * findScenario('usdc-depeg').depegs?.USDC // 870_000_000_000_000_000n
 * ```
 */
export function findScenario(name: string): StressScenario {
  const found = stressScenarios.find((s) => s.name === name)
  if (found === undefined) {
    throw new ReserveMathError('Unknown stress scenario.', {
      details: `scenario = ${JSON.stringify(name)}; known: ${stressScenarios.map((s) => s.name).join(', ')}.`,
      metaMessages: ['Pass one of the named scenarios or a StressScenario object.'],
    })
  }
  return found
}

/**
 * USD prices (18 decimals) after a scenario's shocks and depegs, by erc20 symbol.
 *
 * @param state - The pool state.
 * @param scenario - The scenario.
 * @returns The overrides and the scenario symbols the state lacks.
 * @example
 * ```ts
 * shockedPrices(examplePoolState(), findScenario('eth-crash-40')).overrides.get('WETH') // 1800e18
 * ```
 */
export function shockedPrices(
  state: PoolState,
  scenario: StressScenario,
): { overrides: Map<string, bigint>; unmatched: string[] } {
  const prices = resolveAssetPrices(state)
  const erc20 = new Set(state.assets.filter((a) => a.kind === 'erc20').map((a) => a.symbol))
  const overrides = new Map<string, bigint>()
  const unmatched: string[] = []
  for (const [symbol, shock] of Object.entries(scenario.priceShocks ?? {})) {
    if (typeof shock !== 'bigint' || shock < -WAD) {
      throw new ReserveMathError('Price shock out of range.', {
        details: `${scenario.name}.priceShocks.${symbol} = ${String(shock)}; expected a WAD bigint >= -1e18.`,
        metaMessages: ['-40% is -400000000000000000n; a price cannot fall below zero.'],
      })
    }
    if (!erc20.has(symbol)) unmatched.push(symbol)
    else overrides.set(symbol, divRound(prices.get(symbol)!.priceUsd * (WAD + shock), WAD, 'floor'))
  }
  for (const [symbol, price] of Object.entries(scenario.depegs ?? {})) {
    if (typeof price !== 'bigint' || price < 0n) {
      throw new ReserveMathError('Depeg price out of range.', {
        details: `${scenario.name}.depegs.${symbol} = ${String(price)}; expected a USD bigint (18 decimals) >= 0.`,
        metaMessages: ['0.87 USD is 870000000000000000n.'],
      })
    }
    if (!erc20.has(symbol)) unmatched.push(symbol)
    else overrides.set(symbol, price)
  }
  return { overrides, unmatched }
}

function runOffMember(member: Member, rate: bigint, adjustedUsd: bigint, liabilitiesUsd: bigint): Member {
  const paid = divRound(liabilitiesUsd * rate, WAD, 'ceil')
  const sold = adjustedUsd === 0n ? 0n : paid >= adjustedUsd ? WAD : divRound(paid * WAD, adjustedUsd, 'ceil')
  const keepReserves = WAD - sold
  const keepLiabilities = WAD - rate
  return {
    ...member,
    holdings: member.holdings.map((h) => ({ ...h, amount: (h.amount * keepReserves) / WAD })),
    liabilities: member.liabilities.map((l) => ({
      ...l,
      supply: divRound(l.supply * keepLiabilities, WAD, 'ceil'),
    })),
    inFlight: member.inFlight.map((t) => ({
      ...t,
      amount:
        t.asset === member.liabilityAsset
          ? divRound(t.amount * keepLiabilities, WAD, 'ceil')
          : (t.amount * keepReserves) / WAD,
    })),
  }
}

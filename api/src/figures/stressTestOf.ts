import { MoneyError, type PoolState, parseDecimal, RATIO_DECIMALS } from '@ballast/sdk'
import {
  runStressTest,
  type StressScenario,
  type StressTestResult,
  stressScenarioNames,
} from '@ballast/sdk/math'
import { ApiError } from '../errors/ApiError.js'

/** Arguments of `Pool.stressTest`. */
export type StressTestArgs = {
  scenario?: string | null | undefined
  shocks?: readonly { asset: string; priceChange: string }[] | null | undefined
  redemptionRunOff?: string | null | undefined
}

function wad(value: string, what: string): bigint {
  try {
    return parseDecimal(value, RATIO_DECIMALS)
  } catch (cause) {
    if (!(cause instanceof MoneyError)) throw cause
    throw new ApiError(`${what} has too many decimals.`, {
      details: `${what}: ${value}; at most 18 decimals.`,
    })
  }
}

/**
 * The scenario a `stressTest` call asks for: a named one, or custom shocks (`P' = P * (1 + change)`)
 * with an optional redemption run-off. Checked for the mistakes a client makes.
 *
 * @param args - the GraphQL arguments.
 * @returns the scenario (name, or an sdk `StressScenario`).
 * @example
 * ```ts
 * stressScenarioOf({ shocks: [{ asset: 'WETH', priceChange: '-0.4' }] }).priceShocks // { WETH: -4e17 }
 * ```
 */
export function stressScenarioOf(args: StressTestArgs): string | StressScenario {
  const hasCustom =
    (args.shocks !== null && args.shocks !== undefined) || (args.redemptionRunOff ?? null) !== null
  if (args.scenario !== null && args.scenario !== undefined) {
    if (hasCustom)
      throw new ApiError('Give either `scenario` or custom `shocks`/`redemptionRunOff`, not both.')
    if (!stressScenarioNames.includes(args.scenario)) {
      throw new ApiError('Unknown stress scenario.', {
        code: 'NOT_FOUND',
        details: `scenario: ${JSON.stringify(args.scenario)}; known: ${stressScenarioNames.join(', ')}.`,
      })
    }
    return args.scenario
  }
  if (!hasCustom) {
    throw new ApiError('Name a `scenario` or give `shocks`.', {
      metaMessages: [
        `Scenarios: ${stressScenarioNames.join(', ')}.`,
        'Shocks: [{ asset: "WETH", priceChange: "-0.4" }].',
      ],
    })
  }
  const priceShocks: Record<string, bigint> = {}
  for (const shock of args.shocks ?? []) {
    const change = wad(shock.priceChange, `priceChange of ${shock.asset}`)
    if (change < -(10n ** 18n)) {
      throw new ApiError('A price cannot fall more than 100%.', {
        details: `${shock.asset}: priceChange ${shock.priceChange}; it must be >= -1.`,
      })
    }
    if (shock.asset in priceShocks) throw new ApiError('An asset is shocked twice.', { details: shock.asset })
    priceShocks[shock.asset] = change
  }
  const scenario: StressScenario = { name: 'custom', description: 'Custom shocks.', priceShocks }
  if (args.redemptionRunOff !== null && args.redemptionRunOff !== undefined) {
    const runOff = wad(args.redemptionRunOff, 'redemptionRunOff')
    if (runOff < 0n || runOff > 10n ** 18n) {
      throw new ApiError('`redemptionRunOff` must be between 0 and 1.', {
        details: `redemptionRunOff: ${args.redemptionRunOff}`,
      })
    }
    scenario.runOffRate = runOff
  }
  return scenario
}

/**
 * Runs the sdk's deterministic stress test on a pool's state.
 *
 * @param state - the pool state.
 * @param poolId - the pool.
 * @param args - scenario or custom shocks.
 * @returns the sdk's result.
 * @example
 * ```ts
 * stressTestOf(state, poolId, { scenario: 'eth-crash-40' }).breachesMinimum
 * ```
 */
export function stressTestOf(state: PoolState, poolId: string, args: StressTestArgs): StressTestResult {
  return runStressTest(state, stressScenarioOf(args), { poolId })
}

import { DevnetError } from '../errors/DevnetError.js'

/** A named scenario: the shape of the history `runScenario` lays down. */
export type ScenarioDefinition = {
  name: string
  description: string
  /** Default number of steps (one step: prices, yield, actions, relaying). */
  steps: number
  /** Default random actions per step. */
  actionsPerStep: number
  /** Per-step log-return volatility of ETH and BTC, and their correlation. */
  volatility: { eth: number; btc: number; correlation: number }
  /**
   * Shocks at a fraction of the history: ETH and BTC fall by these fractions over `length` steps,
   * USDC depegs to `usdcLow` and recovers; redemptions dominate the actions meanwhile.
   */
  crash?: { at: number; length: number; ethDrop: number; btcDrop: number; usdcLow: number; runLength: number }
  /** Fraction of the history at which the late member joins. */
  lateJoinAt: number
  /** Fraction of the history at which a member leaves (none when undefined). */
  leaveAt?: number
}

export const scenarios = {
  steady: {
    name: 'steady',
    description: 'Calm markets: small correlated moves, deposits, mints, redemptions, bridging, vault yield.',
    steps: 24,
    actionsPerStep: 6,
    volatility: { eth: 0.01, btc: 0.008, correlation: 0.8 },
    lateJoinAt: 0.4,
  },
  crash: {
    name: 'crash',
    description: 'A sharp fall in ETH and BTC, a USDC depeg and a redemption run, then partial recovery.',
    steps: 30,
    actionsPerStep: 6,
    volatility: { eth: 0.02, btc: 0.016, correlation: 0.85 },
    crash: { at: 0.5, length: 3, ethDrop: 0.4, btcDrop: 0.3, usdcLow: 0.94, runLength: 6 },
    lateJoinAt: 0.3,
    leaveAt: 0.9,
  },
} as const satisfies Record<string, ScenarioDefinition>

export type ScenarioName = keyof typeof scenarios

/** Names of the built-in scenarios. */
export const scenarioNames = Object.keys(scenarios) as ScenarioName[]

/**
 * Looks up a named scenario.
 *
 * @param name Scenario name (`steady` or `crash`).
 * @returns Its definition.
 * @throws DevnetError naming the known scenarios when `name` is unknown.
 * @example
 * ```ts
 * findScenario('crash').crash?.ethDrop // 0.4
 * ```
 */
export function findScenario(name: string): ScenarioDefinition {
  if (Object.hasOwn(scenarios, name)) return scenarios[name as ScenarioName]
  throw new DevnetError('Unknown scenario.', {
    details: `scenario = ${JSON.stringify(name)}; known: ${scenarioNames.join(', ')}.`,
    metaMessages: [`Use one of: ${scenarioNames.map((n) => `--scenario ${n}`).join(', ')}.`],
  })
}

import { baselTrafficLight, type TrafficLight } from './baselTrafficLight.js'
import {
  christoffersenConditionalCoverageTest,
  christoffersenIndependenceTest,
  type ExceptionTransitions,
  exceptionTransitions,
  kupiecTest,
  type LikelihoodRatioTest,
} from './likelihoodRatioTests.js'

/** The coverage tests of an exception sequence. */
export type ExceptionTests = {
  observations: number
  exceptions: number
  /** `n p`. */
  expectedExceptions: number
  transitions: ExceptionTransitions
  kupiec: LikelihoodRatioTest
  independence: LikelihoodRatioTest
  conditionalCoverage: LikelihoodRatioTest
  trafficLight: TrafficLight
}

/**
 * Runs every coverage test on a sequence of exception indicators of a forecast with exception
 * probability `p`: Kupiec's POF, Christoffersen's independence and conditional coverage, and the
 * Basel traffic light (the VaR backtest and the redemption forecast backtest share this).
 *
 * @param flags - Exception indicators in time order (at least 1).
 * @param probability - The forecast's exception probability `p`.
 * @param significance - Level of the verdicts (default 0.05).
 * @returns The tests; with one observation, the two Christoffersen tests are not defined and report LR 0.
 * @example
 * ```ts
 * exceptionTests([false, true, false], 0.01).kupiec.pValue
 * ```
 */
export function exceptionTests(
  flags: readonly boolean[],
  probability: number,
  significance = 0.05,
): ExceptionTests {
  const n = flags.length
  const x = flags.filter(Boolean).length
  const transitions = exceptionTransitions(flags)
  const enough = n >= 2
  const none = (degreesOfFreedom: number): LikelihoodRatioTest => ({
    statistic: 0,
    degreesOfFreedom,
    pValue: 1,
    significance,
    rejected: false,
  })
  return {
    observations: n,
    exceptions: x,
    expectedExceptions: n * probability,
    transitions,
    kupiec: kupiecTest(n, x, probability, significance),
    independence: enough ? christoffersenIndependenceTest(transitions, significance) : none(1),
    conditionalCoverage: enough
      ? christoffersenConditionalCoverageTest(transitions, probability, significance)
      : none(2),
    trafficLight: baselTrafficLight(n, x, probability),
  }
}

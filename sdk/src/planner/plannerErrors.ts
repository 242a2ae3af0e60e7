import { BaseError } from '../errors/BaseError.js'

/**
 * Planner input that cannot be planned: a negative amount, an unknown chain, asset or node, a
 * malformed route. Thrown before any solving; `details` names the offending value.
 *
 * @example
 * ```ts
 * throw new PlannerInputError('Negative balance.', {
 *   details: 'node 42161/USDC has balance -5.',
 *   metaMessages: ['Balances are base units >= 0.'],
 * })
 * ```
 */
export class PlannerInputError extends BaseError {
  override name = 'PlannerInputError'
}

/**
 * A transfer cannot be executed as planned: no LayerZero endpoint id for a chain, no OFT or
 * recipient address, a slippage bound out of range.
 *
 * @example
 * ```ts
 * throw new PlanExecutionError('No LayerZero endpoint id for chain 31337.', {
 *   metaMessages: ['Pass endpointIds: { 31337: 40101 }.'],
 * })
 * ```
 */
export class PlanExecutionError extends BaseError {
  override name = 'PlanExecutionError'
}
